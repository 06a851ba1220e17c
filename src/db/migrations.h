#pragma once
// The schema as versioned SQL migrations (src/db/migrations/NNNN_name.sql, embedded in the
// binary at build time). The files are written in SQL both databases accept, with a few
// markers rendered per dialect: {{id}} (an auto-increment 64-bit primary key) and
// {{blob}} (a byte string column).

#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace fw::db {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// All migrations in version order.
const std::vector<Migration>& Migrations();

// The statements of `sql` rendered for `dialect`, split at lines that end with ';'.
std::vector<std::string> RenderMigration(std::string_view sql, Dialect dialect);

}  // namespace fw::db
