#pragma once
// Who is making a request, as established by authentication (orgs/) and checked by the
// router (http/) before any handler runs. Stores take a `const Caller&` and filter tenant
// data by `org_id` themselves.

#include <cstdint>
#include <string>
#include <string_view>

namespace fw {

enum class Role {
  kOperator,   // runs the instance; no lab data that is encrypted for a lab
  kLabOwner,   // a lab's owner: everything of its own lab, including members and tokens
  kLabMember,  // a lab's member: projects, items, exports of its own lab
  kExpert,     // works tasks; reviewers are experts with `reviewer` set
};

std::string_view RoleName(Role r);
// Parses "operator", "owner", "member", "expert"; false when unknown.
bool ParseRole(std::string_view s, Role* out);

struct Caller {
  std::int64_t user_id = 0;
  Role role = Role::kExpert;
  std::int64_t org_id = 0;  // the lab for owners and members; 0 for operators and experts
  bool reviewer = false;    // an expert with reviewer rights in at least one domain
  std::string request_id;

  bool IsLab() const { return role == Role::kLabOwner || role == Role::kLabMember; }
  bool IsOperator() const { return role == Role::kOperator; }
  bool IsExpert() const { return role == Role::kExpert; }
};

}  // namespace fw
