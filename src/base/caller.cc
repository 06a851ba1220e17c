#include "base/caller.h"

namespace fw {

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kOperator: return "operator";
    case Role::kLabOwner: return "owner";
    case Role::kLabMember: return "member";
    case Role::kExpert: return "expert";
  }
  return "expert";
}

bool ParseRole(std::string_view s, Role* out) {
  if (s == "operator") *out = Role::kOperator;
  else if (s == "owner") *out = Role::kLabOwner;
  else if (s == "member") *out = Role::kLabMember;
  else if (s == "expert") *out = Role::kExpert;
  else return false;
  return true;
}

}  // namespace fw
