#include "experts/experts.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "db/query.h"
#include "security/crypto.h"

namespace fw::experts {

namespace {

Error UnknownDomain(std::string_view domain) {
  return Error(ErrorCode::kInvalidArgument, fmt::format("'{}' is not a known domain", domain),
               {{"domain", "unknown", "see GET /api/v1/domains"}});
}

// Runs inside the caller's transaction, so a grant cannot name a domain that is not stored.
Status CheckDomain(soci::session& s, std::string_view domain) {
  if (!DomainExists(s, domain)) return Fail(UnknownDomain(domain));
  return {};
}

// kNotFound unless `user_id` is an expert; runs inside the caller's transaction. The message
// names the user by its public id, the only id the client knows.
Status CheckIsExpert(soci::session& s, long long user_id, const security::IdCodec& ids) {
  std::string role;
  bool found = db::Query(s, "SELECT role FROM users WHERE id = :id").Bind(user_id).One(role);
  if (!found || role != RoleName(Role::kExpert)) {
    constexpr long long kMaxEncodable = 1LL << 53;
    if (user_id <= 0 || user_id >= kMaxEncodable) return NotFound("no such expert");
    return NotFound(
        fmt::format("{} is not an expert", ids.Encode(security::IdKind::kUser, user_id)));
  }
  return {};
}

// The user's qualifications ordered by domain, read with `s` (inside a transaction or not).
std::vector<Qualification> ReadQualifications(soci::session& s, long long uid);

// The columns of a qualifications row, in the order FW_QUALIFICATION_COLUMNS names them.
struct QualificationColumns {
  std::string domain;
  int level = 0;
  int reviewer = 0;
  long long granted_at = 0;
  Qualification Get() const { return Qualification{domain, level, reviewer != 0, granted_at}; }
};
#define FW_QUALIFICATION_COLUMNS "q.domain, q.level, q.reviewer, q.granted_at"

std::vector<Qualification> ReadQualifications(soci::session& s, long long uid) {
  QualificationColumns c;
  std::vector<Qualification> out;
  db::Query(s, "SELECT " FW_QUALIFICATION_COLUMNS
               " FROM qualifications q WHERE q.user_id = :u ORDER BY q.domain")
      .Bind(uid)
      .Each(
          [&] {
            out.push_back(c.Get());
            return true;
          },
          c.domain, c.level, c.reviewer, c.granted_at);
  return out;
}

}  // namespace

std::string_view LevelName(int level) {
  switch (level) {
    case 1:
      return "bachelor's or student";
    case 2:
      return "master's";
    case 3:
      return "doctorate or licensed professional";
    case 4:
      return "senior (postdoc, 5+ years of practice)";
    case 5:
      return "leading expert";
    default:
      return "";
  }
}

bool Qualifies(const std::vector<Qualification>& quals, std::string_view domain, int min_level) {
  if (domain.empty()) return true;
  return std::any_of(quals.begin(), quals.end(), [&](const Qualification& q) {
    return q.domain == domain && q.level >= min_level;
  });
}

ExpertService::ExpertService(db::Database& db, const Clock& clock, const security::IdCodec& ids)
    : db_(db), clock_(clock), ids_(ids) {}

Result<Qualification> ExpertService::GrantQualification(std::int64_t expert_user_id,
                                                        std::string_view domain, int level,
                                                        bool reviewer) {
  if (level < kMinLevel || level > kMaxLevel) {
    return InvalidArgument("level must be between 1 and 5",
                           {{"level", "out_of_range", "expected an integer from 1 to 5"}});
  }
  Qualification q{std::string(domain), level, reviewer, clock_.Now()};
  long long uid = expert_user_id, granted = q.granted_at;
  int reviewer_i = reviewer ? 1 : 0;
  return db_.Write<Qualification>([&](soci::session& s) -> Result<Qualification> {
    FW_TRY_STATUS(CheckDomain(s, q.domain));
    FW_TRY_STATUS(CheckIsExpert(s, uid, ids_));
    db::Query(s,
              "INSERT INTO qualifications (user_id, domain, level, reviewer, granted_at) "
              "VALUES (:u, :d, :l, :r, :g) ON CONFLICT (user_id, domain) DO UPDATE SET "
              "level = excluded.level, reviewer = excluded.reviewer, "
              "granted_at = excluded.granted_at")
        .Bind(uid)
        .Bind(q.domain)
        .Bind(level)
        .Bind(reviewer_i)
        .Bind(granted)
        .Run();
    if (listener_) FW_TRY_STATUS(listener_(s, uid, ReadQualifications(s, uid)));
    return q;
  });
}

Status ExpertService::RevokeQualification(std::int64_t expert_user_id, std::string_view domain) {
  long long uid = expert_user_id;
  std::string d(domain);
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    FW_TRY_STATUS(CheckDomain(s, d));
    FW_TRY_STATUS(CheckIsExpert(s, uid, ids_));
    if (db::Query(s, "DELETE FROM qualifications WHERE user_id = :u AND domain = :d")
            .Bind(uid)
            .Bind(d)
            .Run() == 0) {
      return NotFound(fmt::format("the expert holds no {} qualification", d));
    }
    if (listener_) FW_TRY_STATUS(listener_(s, uid, ReadQualifications(s, uid)));
    return true;
  }));
  return {};
}

Result<std::vector<Qualification>> ExpertService::Qualifications(std::int64_t user_id,
                                                                 soci::session* within) {
  long long uid = user_id;
  if (within != nullptr) return ReadQualifications(*within, uid);
  return db_.Read<std::vector<Qualification>>(
      [&](soci::session& s) -> Result<std::vector<Qualification>> {
        return ReadQualifications(s, uid);
      });
}

Result<std::vector<Expert>> ExpertService::ListExperts() {
  return db_.Read<std::vector<Expert>>([](soci::session& s) -> Result<std::vector<Expert>> {
    std::vector<Expert> out;
    std::unordered_map<long long, std::size_t> index;
    long long id = 0, created_at = 0;
    std::string email, name;
    int disabled = 0;
    db::Query(s,
              "SELECT id, email, name, created_at, disabled FROM users WHERE role = 'expert' "
              "ORDER BY id")
        .Each(
            [&] {
              Expert e;
              e.user = orgs::User{id, email, name, Role::kExpert, 0, created_at, disabled != 0};
              index.emplace(id, out.size());
              out.push_back(std::move(e));
              return true;
            },
            id, email, name, created_at, disabled);
    // One query for every expert's qualifications rather than one per expert.
    QualificationColumns c;
    long long user_id = 0;
    db::Query(s, "SELECT q.user_id, " FW_QUALIFICATION_COLUMNS
                 " FROM qualifications q JOIN users u ON u.id = q.user_id "
                 "WHERE u.role = 'expert' ORDER BY q.user_id, q.domain")
        .Each(
            [&] {
              auto it = index.find(user_id);
              if (it != index.end()) out[it->second].qualifications.push_back(c.Get());
              return true;
            },
            user_id, c.domain, c.level, c.reviewer, c.granted_at);
    return out;
  });
}

Result<std::string> ExpertService::PseudonymKey(std::int64_t org_id) {
  std::optional<std::string> cached = keys_.With([&](auto& keys) -> std::optional<std::string> {
    auto it = keys.find(org_id);
    if (it == keys.end()) return std::nullopt;
    return it->second;
  });
  if (cached) return std::move(*cached);
  long long oid = org_id;
  FW_TRY(std::string hex, db_.Read<std::string>([&](soci::session& s) -> Result<std::string> {
    std::string key;
    if (!db::Query(s, "SELECT pseudonym_key FROM orgs WHERE id = :id").Bind(oid).One(key)) {
      return NotFound("no such lab");
    }
    return key;
  }));
  std::string raw;
  if (!security::FromHex(hex, &raw) || raw.size() < 16) {
    return Internal("a lab's stored pseudonym key is malformed");
  }
  // Two threads may both miss and load; they load the same immutable key, so either wins.
  keys_.With([&](auto& keys) { keys.emplace(org_id, raw); });
  return raw;
}

Result<std::string> ExpertService::Pseudonym(std::int64_t org_id, std::int64_t expert_user_id) {
  FW_TRY(std::string key, PseudonymKey(org_id));
  std::string digest = security::KeyedHash(key, std::to_string(expert_user_id));
  std::string b32 =
      security::Base32(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
  return "ex_" + b32.substr(0, 10);
}

}  // namespace fw::experts
