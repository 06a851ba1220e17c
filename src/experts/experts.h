#pragma once
// Expert domains and levels, qualifications (which expert may work which domain, at what
// level, with reviewer rights), and the per-lab pseudonyms under which labs see experts.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "base/guarded.h"
#include "db/database.h"
#include "experts/domains.h"
#include "orgs/orgs.h"
#include "security/ids.h"

namespace fw::experts {

inline constexpr int kMinLevel = 1;
inline constexpr int kMaxLevel = 5;
// The name of a level: 1 student, 2 bachelor, 3 master, 4 PhD, 5 licensed professional; empty
// outside 1..5. A project asking for a level accepts every level above it.
std::string_view LevelName(int level);

// Why a qualification was granted.
struct Grounds {
  std::string kind = "operator";          // "exam", "credential" or "operator"
  std::int64_t id = 0;                    // the exam attempt's or credential's row id; 0 else
  std::optional<int> score;               // the exam's score, 0..100
  std::optional<UnixSeconds> expires_at;  // none: it does not expire
  std::string reason;                     // the operator's reason
  std::int64_t granted_by = 0;            // the deciding user; 0 for an exam
  friend bool operator==(const Grounds&, const Grounds&) = default;
};

// Whether `kind` names grounds ("exam", "credential", "operator").
bool IsGroundsKind(std::string_view kind);

struct Qualification {
  std::string domain;
  int level = 0;          // 1..5
  bool reviewer = false;  // may accept, reject or send back others' work in this domain
  UnixSeconds granted_at = 0;
  Grounds grounds;
  std::string parent;  // the domain's own domain when it is a sub-field, else ""
  friend bool operator==(const Qualification&, const Qualification&) = default;

  // Whether it holds at `now` (no expiry, or one still ahead).
  bool Current(UnixSeconds now) const { return !grounds.expires_at || *grounds.expires_at > now; }
};

// An expert with its qualifications (for operators; labs never see this).
struct Expert {
  orgs::User user;
  std::vector<Qualification> qualifications;  // by domain name
};

// Whether `quals` satisfy a project's requirement at `now`: any expert when `domain` is empty,
// otherwise a current qualification in `domain`, or in a sub-field of it, at `min_level` or
// above.
bool Qualifies(const std::vector<Qualification>& quals, std::string_view domain, int min_level,
               UnixSeconds now);

// The qualification among `quals` that counts for `domain` (itself or a sub-field of it) with
// the highest level, current ones first; nullptr when there is none.
const Qualification* BestFor(const std::vector<Qualification>& quals, std::string_view domain,
                             UnixSeconds now);

// Called inside the transaction that grants, changes or revokes one of an expert's
// qualifications, after the change, with the qualifications the expert now holds. What it
// writes commits with the change; an error rolls the change back and is returned to the
// caller. The app sets it so the work loop ends the leases the expert no longer qualifies for
// (experts/ does not depend on work/).
using QualificationListener = std::function<Status(
    soci::session& s, std::int64_t expert_user_id, const std::vector<Qualification>& held)>;

// Grants and revokes qualifications and derives per-lab expert pseudonyms.
// Thread safety: any thread; each call is one transaction. The cache of labs' pseudonym keys
// is guarded by its own mutex, held only for the map look-up (never across I/O); keys never
// change once a lab exists, so a cached key is never stale.
// Ownership: borrows the database, clock and id codec, which must outlive it.
class ExpertService {
 public:
  ExpertService(db::Database& db, const Clock& clock, const security::IdCodec& ids);

  // Grants `domain` at `level` to an expert on `grounds`, or replaces the expert's
  // qualification in that domain (level, reviewer, grounds and granted_at). A lowered level ends,
  // in the same transaction, the expert's leases it no longer covers (through the listener).
  // Errors: kInvalidArgument naming "domain" (not in the domains table, see DomainService),
  // "level" (outside 1..5), "grounds" (an unknown kind) or "score" (outside 0..100); kNotFound
  // (no such user, or the user is not an expert); the listener's errors (nothing changed). A
  // retry stores the same qualification again.
  [[nodiscard]] Result<Qualification> GrantQualification(std::int64_t expert_user_id,
                                                         std::string_view domain, int level,
                                                         bool reviewer,
                                                         const Grounds& grounds = {});
  // The same inside the caller's transaction `s` (an exam's grading, a credential's
  // verification), which then commits or rolls back with it.
  [[nodiscard]] Result<Qualification> GrantQualification(soci::session& s,
                                                         std::int64_t expert_user_id,
                                                         std::string_view domain, int level,
                                                         bool reviewer,
                                                         const Grounds& grounds = {});

  // Removes the expert's qualification in `domain`, and in the same transaction (through the
  // listener) ends the expert's leases on projects that needed it. Errors: kInvalidArgument
  // naming "domain" (not in the domains table); kNotFound (no such expert, or no qualification in
  // that domain — so a retry after success is kNotFound); the listener's errors (nothing
  // changed).
  [[nodiscard]] Status RevokeQualification(std::int64_t expert_user_id, std::string_view domain);

  // The user's qualifications ordered by domain; empty for a user with none (including
  // non-experts and unknown users). Read inside `within` when given (an open transaction of
  // the caller's), else in a read transaction of its own. Errors: only database failures.
  [[nodiscard]] Result<std::vector<Qualification>> Qualifications(std::int64_t user_id,
                                                                  soci::session* within = nullptr);

  // All experts (enabled or not) in creation order, each with its qualifications.
  // Errors: only database failures.
  [[nodiscard]] Result<std::vector<Expert>> ListExperts();

  // The pseudonym under which lab `org_id` sees the expert: "ex_" + the first 10 base32
  // characters of the lab-keyed BLAKE2b of the decimal user id. Stable for a (lab, expert)
  // pair, different across labs, unlinkable without the lab's key. Reads the database only
  // the first time a lab is seen. Errors: kNotFound (no such lab).
  [[nodiscard]] Result<std::string> Pseudonym(std::int64_t org_id, std::int64_t expert_user_id);

  // The clock the service judges time by (grants, expiry).
  const Clock& clock() const { return clock_; }

  // Set once, before the service is used; without one a change writes only the qualification.
  void SetQualificationListener(QualificationListener listener) {
    listener_ = std::move(listener);
  }

 private:
  // The lab's raw 32-byte pseudonym key, from the cache or the database.
  Result<std::string> PseudonymKey(std::int64_t org_id);

  db::Database& db_;
  const Clock& clock_;
  const security::IdCodec& ids_;
  Guarded<std::unordered_map<std::int64_t, std::string>> keys_;  // org id -> raw key
  QualificationListener listener_;
};

}  // namespace fw::experts
