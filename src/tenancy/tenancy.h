#pragma once
// The one way to a lab's rows. Every read and write of lab data made on a lab's behalf runs
// through a LabScope: its SQL must name the lab's id as `:org` exactly once (checked when the
// statement is compiled), which the scope binds, so a statement that forgets the tenant does
// not build; and a lab's payloads (items, gold answers, submitted answers) are sealed and
// opened only through the scope, under the lab's key once encryption at rest arrives. The
// audit trail of lab data will be written here too.
//
//   tenancy::LabScope lab = tenancy.Scope(s, caller.org_id);
//   bool found = lab.Query("SELECT name FROM projects WHERE org_id = :org AND id = :p")
//                    .Bind(project_id)
//                    .One(name);
//
// Statements that are not made on one lab's behalf (the work loop follows an expert across
// labs by assignment ids; the operator's views of every lab) use db::Query directly and seal
// or open a row's payloads under the row's lab with Tenancy::Seal and Open.

#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "db/query.h"
#include "security/payload_codec.h"

namespace fw::tenancy {

// SQL that names `:org` exactly once. Built from a literal, the check runs at compile time
// (a statement without it does not build); Checked() runs it on text built at run time.
class LabSql {
 public:
  consteval LabSql(const char* text) : text_(text), org_index_(db::ParameterIndex(text_, "org")) {
    if (org_index_ < 0) throw "lab SQL must name :org exactly once";  // a compile error
  }
  // For SQL composed at run time from fixed fragments; aborts when it does not name `:org`
  // exactly once (a bug). `text` must outlive the LabSql and the Query made from it.
  static LabSql Checked(std::string_view text);

  std::string_view text() const { return text_; }
  std::size_t org_index() const { return static_cast<std::size_t>(org_index_); }

 private:
  struct RuntimeTag {};
  LabSql(RuntimeTag, std::string_view text, int org_index) : text_(text), org_index_(org_index) {}
  std::string_view text_;  // owned by the caller: a literal, or see Checked()
  int org_index_;
};

// One lab's data on one session. Cheap to make and copy; borrows the session and the codec,
// which must outlive it. Thread safety: as the session.
class LabScope {
 public:
  LabScope(soci::session& session, std::int64_t org_id, const security::PayloadCodec& codec)
      : session_(session), org_id_(org_id), codec_(codec) {}

  // A statement on this lab's rows with `:org` bound to the lab.
  db::Query Query(LabSql sql) const;

  // The stored form of a payload (UTF-8 JSON text) of this lab.
  std::string Seal(std::string_view plaintext) const { return codec_.Seal(org_id_, plaintext); }
  // The plaintext of a stored payload of this lab. Errors: kInternal when the value is corrupt
  // or its key is gone.
  [[nodiscard]] Result<std::string> Open(std::string_view stored) const {
    return codec_.Open(org_id_, stored);
  }

  std::int64_t org_id() const { return org_id_; }
  soci::session& session() const { return session_; }

 private:
  soci::session& session_;
  std::int64_t org_id_;
  const security::PayloadCodec& codec_;
};

// Makes scopes: holds what every lab's data passes through (the payload codec; the audit
// trail later). Owned by the app; services borrow it. Thread safety: any thread.
class Tenancy {
 public:
  explicit Tenancy(const security::PayloadCodec& codec) : codec_(codec) {}
  LabScope Scope(soci::session& session, std::int64_t org_id) const {
    return {session, org_id, codec_};
  }

  // A payload of the lab `org_id` read or written without a scope (a row reached across labs).
  // Open's errors: kInternal when the value is corrupt or its key is gone.
  std::string Seal(std::int64_t org_id, std::string_view plaintext) const {
    return codec_.Seal(org_id, plaintext);
  }
  [[nodiscard]] Result<std::string> Open(std::int64_t org_id, std::string_view stored) const {
    return codec_.Open(org_id, stored);
  }

 private:
  const security::PayloadCodec& codec_;
};

}  // namespace fw::tenancy
