#include "projects/requirements.h"

#include "base/json.h"
#include "db/query.h"

namespace fw::projects {

namespace {

// The routing columns of a project, in RequirementsRow's order.
#define FW_REQUIREMENTS_COLUMNS                                                          \
  "id, org_id, domain, min_level, status, min_exam_score, credential_kinds, languages, " \
  "competitors, terms_version"

struct RequirementsRow {
  long long id = 0, org_id = 0;
  std::string domain;
  int min_level = 0;
  std::string status;
  int min_exam_score = 0;
  std::string credential_kinds, languages, competitors;
  int terms_version = 0;
};

#define FW_REQUIREMENTS_OUT(r)                                                           \
  r.id, r.org_id, r.domain, r.min_level, r.status, r.min_exam_score, r.credential_kinds, \
      r.languages, r.competitors, r.terms_version

Requirements ToRequirements(RequirementsRow& r) {
  Requirements out;
  out.project_id = r.id;
  out.org_id = r.org_id;
  out.domain = std::move(r.domain);
  out.min_level = r.min_level;
  out.status = ParseProjectStatus(r.status);
  out.min_exam_score = r.min_exam_score;
  out.credential_kinds = ParseStringArray(r.credential_kinds);
  out.languages = ParseStringArray(r.languages);
  out.competitors = ParseStringArray(r.competitors);
  out.terms_version = r.terms_version;
  return out;
}

}  // namespace

std::vector<Requirements> ActiveRequirements(soci::session& s) {
  std::vector<Requirements> out;
  RequirementsRow r;
  db::Query(s,
            "SELECT " FW_REQUIREMENTS_COLUMNS " FROM projects WHERE status = 'active' ORDER BY id")
      .Each(
          [&] {
            out.push_back(ToRequirements(r));
            return true;
          },
          FW_REQUIREMENTS_OUT(r));
  return out;
}

std::optional<Requirements> RequirementsOf(soci::session& s, std::int64_t project_id) {
  RequirementsRow r;
  if (!db::Query(s, "SELECT " FW_REQUIREMENTS_COLUMNS " FROM projects WHERE id = :p")
           .Bind(project_id)
           .One(FW_REQUIREMENTS_OUT(r))) {
    return std::nullopt;
  }
  return ToRequirements(r);
}

std::optional<Terms> TermsOf(soci::session& s, std::int64_t project_id) {
  Terms t;
  std::optional<std::string> text;
  std::optional<long long> created;
  if (!db::Query(s,
                 "SELECT p.terms_version, t.text, t.created_at FROM projects p LEFT JOIN "
                 "project_terms t ON t.project_id = p.id AND t.version = p.terms_version "
                 "WHERE p.id = :p")
           .Bind(project_id)
           .One(t.version, text, created)) {
    return std::nullopt;
  }
  if (t.version > 0 && text) {
    t.text = std::move(*text);
    t.created_at = created.value_or(0);
  } else {
    t.version = 0;
  }
  return t;
}

}  // namespace fw::projects
