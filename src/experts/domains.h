#pragma once
// The expert domains: the fields of expertise a qualification names and a project asks for.
// Kept in the `domains` table (seeded with physics, mathematics, chemistry, biology,
// medicine, law, accounting, finance and computer_science) so the operator can add more.
// A domain is never deleted: qualifications and projects name it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"

namespace fw::experts {

// A field of expertise: `name` is the identifier used in the API and the database. A sub-field
// ("tax_law") names its domain ("law") as `parent`; sub-fields go one level deep.
struct Domain {
  std::string name;    // "computer_science": [a-z][a-z0-9_]{1,47}
  std::string title;   // "Computer science"
  std::string parent;  // "" for a domain, the domain's name for a sub-field
  friend bool operator==(const Domain&, const Domain&) = default;
};

// Whether `name` has the form of a domain name: a lowercase letter, then 1..47 lowercase
// letters, digits or underscores.
bool IsDomainName(std::string_view name);

// Whether `name` is in the domains table, read with `s` (inside a transaction or not).
bool DomainExists(soci::session& s, std::string_view name);

// Reads and extends the domains table (the taxonomy: domains and their sub-fields). Thread safety: any thread; each call is one
// transaction. Ownership: borrows the database, which must outlive it.
class DomainService {
 public:
  explicit DomainService(db::Database& db);

  // Every domain and sub-field, in the order they were added (the seeded nine first, then the
  // seeded sub-fields).
  // Errors: database failures only.
  [[nodiscard]] Result<std::vector<Domain>> List();

  // Whether `name` is a known domain. Errors: database failures only.
  [[nodiscard]] Result<bool> Exists(std::string_view name);

  // Adds a domain, or a sub-field of the domain `parent` when it is not empty.
  // Errors: kInvalidArgument naming "name" (not [a-z][a-z0-9_]{1,47}), "title" (blank, or over
  // 200 bytes) or "parent" (no such domain, or itself a sub-field); kConflict reason
  // "domain_exists" (the name is taken, so a retry after success answers this too; nothing
  // changes).
  [[nodiscard]] Result<Domain> Add(std::string_view name, std::string_view title,
                                   std::string_view parent = {});

  // Changes a domain's title; its name, which qualifications and projects hold, stays.
  // Errors: kNotFound (no such domain); kInvalidArgument naming "title". A retry sets the same
  // title again.
  [[nodiscard]] Result<Domain> SetTitle(std::string_view name, std::string_view title);

 private:
  db::Database& db_;
};

}  // namespace fw::experts
