#include "tenancy/tenancy.h"

namespace fw::tenancy {

LabSql LabSql::Checked(std::string_view text) {
  int index = db::ParameterIndex(text, "org");
  FW_CHECK(index >= 0);
  return LabSql(RuntimeTag{}, text, index);
}

db::Query LabScope::Query(LabSql sql) const {
  db::Query q(session_, sql.text());
  q.BindAt(sql.org_index(), org_id_);
  return q;
}

}  // namespace fw::tenancy
