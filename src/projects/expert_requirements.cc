#include "projects/expert_requirements.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace fw::projects {

namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool AllOf(std::string_view s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void SortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::optional<std::string> CanonicalLanguageTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 35) return std::nullopt;
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dash = tag.find('-', start);
    std::string_view part = tag.substr(start, dash == std::string_view::npos ? dash : dash - start);
    if (part.empty() || part.size() > 8 || !AllOf(part, IsAlnum)) return std::nullopt;
    parts.push_back(part);
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  // language: 2-3 letters (4-8 letter registered languages are not in use).
  if (parts[0].size() < 2 || parts[0].size() > 3 || !AllOf(parts[0], IsAlpha)) return std::nullopt;
  std::string out = Lower(parts[0]);
  std::size_t i = 1;
  if (i < parts.size() && parts[i].size() == 4 && AllOf(parts[i], IsAlpha)) {
    std::string script = Lower(parts[i]);
    script[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(script[0])));
    out += "-" + script;
    ++i;
  }
  if (i < parts.size() && ((parts[i].size() == 2 && AllOf(parts[i], IsAlpha)) ||
                           (parts[i].size() == 3 && AllOf(parts[i], IsDigit)))) {
    out += "-" + Upper(parts[i]);
    ++i;
  }
  for (; i < parts.size(); ++i) {
    std::string_view v = parts[i];
    bool variant = (v.size() >= 5 && v.size() <= 8) || (v.size() == 4 && IsDigit(v[0]));
    if (!variant) return std::nullopt;
    out += "-" + Lower(v);
  }
  return out;
}

std::string OrganisationKey(std::string_view organisation) {
  std::string out;
  bool space = false;
  for (char c : organisation) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

bool LanguageCovers(std::string_view held, std::string_view required) {
  return held.size() >= required.size() && held.substr(0, required.size()) == required &&
         (held.size() == required.size() || held[required.size()] == '-');
}

bool IsCredentialKind(std::string_view kind) {
  return kind == "degree" || kind == "licence" || kind == "certification" || kind == "employment";
}

Result<ExpertRequirements> ApplyRequirements(ExpertRequirements r, const RequirementsPatch& patch) {
  std::vector<FieldError> errors;
  auto fail = [&](std::string field, std::string code, std::string message) {
    errors.push_back({"requirements." + field, std::move(code), std::move(message)});
  };
  if (patch.min_exam_score) {
    if (*patch.min_exam_score < 0 || *patch.min_exam_score > 100) {
      fail("min_exam_score", "out_of_range", "must be 0..100");
    }
    r.min_exam_score = *patch.min_exam_score;
  }
  if (patch.credential_kinds) {
    r.credential_kinds.clear();
    for (std::size_t i = 0; i < patch.credential_kinds->size(); ++i) {
      const std::string& kind = (*patch.credential_kinds)[i];
      if (!IsCredentialKind(kind)) {
        fail(fmt::format("credential_kinds[{}]", i), "unknown",
             "one of degree, licence, certification, employment");
      }
      r.credential_kinds.push_back(kind);
    }
    SortUnique(r.credential_kinds);
  }
  if (patch.languages) {
    if (patch.languages->size() > kMaxRequiredLanguages) {
      fail("languages", "too_many", fmt::format("at most {} languages", kMaxRequiredLanguages));
    }
    r.languages.clear();
    for (std::size_t i = 0; i < patch.languages->size(); ++i) {
      auto tag = CanonicalLanguageTag((*patch.languages)[i]);
      if (!tag) {
        fail(fmt::format("languages[{}]", i), "invalid",
             "a BCP 47 language tag such as en, de or pt-BR");
        continue;
      }
      r.languages.push_back(std::move(*tag));
    }
    SortUnique(r.languages);
  }
  if (patch.competitors) {
    if (patch.competitors->size() > kMaxCompetitors) {
      fail("competitors", "too_many", fmt::format("at most {} organisations", kMaxCompetitors));
    }
    r.competitors.clear();
    for (std::size_t i = 0; i < patch.competitors->size(); ++i) {
      std::string key = OrganisationKey((*patch.competitors)[i]);
      if (key.empty() || key.size() > 200) {
        fail(fmt::format("competitors[{}]", i), "invalid", "an organisation name, 1..200 bytes");
        continue;
      }
      r.competitors.push_back(std::move(key));
    }
    SortUnique(r.competitors);
  }
  if (patch.terms) {
    if (patch.terms->size() > kMaxTermsBytes) {
      fail("terms", "too_long", fmt::format("at most {} bytes", kMaxTermsBytes));
    }
    r.terms = *patch.terms;
  }
  auto share = [&](const char* name, const std::optional<std::optional<double>>& v,
                   std::optional<double>& out) {
    if (!v) return;
    if (*v && !(**v >= 0 && **v <= 1)) {
      fail(fmt::format("standing.{}", name), "out_of_range", "must be 0..1, or null for none");
    }
    out = *v;
  };
  share("min_gold_accuracy", patch.min_gold_accuracy, r.standing.min_gold_accuracy);
  share("min_skill", patch.min_skill, r.standing.min_skill);
  if (patch.min_judgments) {
    if (*patch.min_judgments < 1 || *patch.min_judgments > 100000) {
      fail("standing.min_judgments", "out_of_range", "must be 1..100000");
    }
    r.standing.min_judgments = *patch.min_judgments;
  }
  if (!errors.empty()) return InvalidArgument("invalid requirements", std::move(errors));
  return r;
}

}  // namespace fw::projects
