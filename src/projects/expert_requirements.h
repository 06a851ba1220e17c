#pragma once
// What a lab asks of its project's experts beyond a qualification in the project's domain at
// its level (POST/PATCH /api/v1/projects, "requirements"): an exam score, verified credential
// kinds, languages, competitors, terms, standing thresholds. The vocabulary they are written
// in — language tags, organisation keys, credential kinds — is defined here, and the experts
// room uses the same functions for what experts declare, so both sides compare equal strings.
// Pure functions; eligibility (experts/eligibility.h) decides what an expert meets.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace fw::projects {

// The canonical form of a BCP 47 language tag ("en", "pt-BR", "zh-Hant-TW", "sr-Latn"):
// a primary language of 2-3 letters in lower case, then an optional script (4 letters,
// title case), region (2 letters upper case, or 3 digits) and variants (5-8 alphanumerics, or
// a digit and 3 alphanumerics), at most 35 characters. nullopt when `tag` is none of that
// (extensions and private use are not accepted).
std::optional<std::string> CanonicalLanguageTag(std::string_view tag);

// Whether the canonical tag `held` covers the canonical tag `required`: equal, or a more
// specific form of it ("en-GB" covers "en"; "en" does not cover "en-GB").
bool LanguageCovers(std::string_view held, std::string_view required);

// The key an organisation is matched on: ASCII letters folded to lower case, runs of white
// space collapsed to one space, trimmed ("  ACME   Corp " -> "acme corp"). Other characters
// are kept as they are.
std::string OrganisationKey(std::string_view organisation);

// Whether `kind` names a credential kind: "degree", "licence", "certification", "employment".
bool IsCredentialKind(std::string_view kind);

inline constexpr std::size_t kMaxRequiredLanguages = 20;
inline constexpr std::size_t kMaxCompetitors = 100;
inline constexpr std::size_t kMaxTermsBytes = 64 * 1024;

// Below which standing an expert is paused on the project (experts/standings.h): a gold
// accuracy or a skill estimate under the minimum, once the expert has `min_judgments`
// judgments in the current window. nullopt: that measure pauses no one.
struct StandingThresholds {
  std::optional<double> min_gold_accuracy;  // in [0, 1]
  std::optional<double> min_skill;          // in [0, 1]
  int min_judgments = 10;                   // 1..100000
  friend bool operator==(const StandingThresholds&, const StandingThresholds&) = default;
};

// What a lab asks of its project's experts beyond a qualification in the project's domain at
// its level.
struct ExpertRequirements {
  // > 0: the qualification must come from an exam passed with at least this score (0..100).
  int min_exam_score = 0;
  std::vector<std::string> credential_kinds;  // each verified and unexpired; sorted, unique
  std::vector<std::string> languages;         // canonical tags, each in the expert's profile
  std::vector<std::string> competitors;       // organisation keys; sorted, unique
  int terms_version = 0;                      // 0: no terms
  std::string terms;                          // the current version's text
  std::int64_t terms_created_at = 0;
  StandingThresholds standing;
};

// A change to a project's ExpertRequirements: each member given replaces the current one.
// `terms`: a text different from the current one becomes a new version (experts accept it
// again); "" removes the terms.
struct RequirementsPatch {
  std::optional<int> min_exam_score;
  std::optional<std::vector<std::string>> credential_kinds, languages, competitors;
  std::optional<std::string> terms;
  std::optional<std::optional<double>> min_gold_accuracy, min_skill;
  std::optional<int> min_judgments;
  bool empty() const {
    return !min_exam_score && !credential_kinds && !languages && !competitors && !terms &&
           !min_gold_accuracy && !min_skill && !min_judgments;
  }
};

// Checks `patch` and applies it to `current`, writing the lists in canonical form (language
// tags canonical, organisation keys, both sorted and unique). Leaves terms_version alone: the
// caller stores a changed text as a new version. Errors: kInvalidArgument naming
// "requirements.<member>" (or "requirements.languages[i]" and the like).
[[nodiscard]] Result<ExpertRequirements> ApplyRequirements(ExpertRequirements current,
                                                           const RequirementsPatch& patch);

}  // namespace fw::projects
