#pragma once
// Opaque public identifiers. Rows use sequential integer keys inside the database (fast
// inserts, compact indexes); the API shows them only through IdCodec, a keyed 64-bit
// permutation (a 4-round Feistel network over SipHash) rendered as "<prefix>_<13 base32>".
// Without the instance key, ids reveal neither order nor volume, and an id of one kind never
// decodes as another kind. Thread safety: immutable after construction; any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace fw::security {

enum class IdKind : std::uint8_t {
  kOrg, kUser, kProject, kItem, kAssignment, kSubmission, kToken, kImport, kExpert, kSession,
  kInvitation, kCredential, kAffiliation, kExpertInvitation, kExam, kExamQuestion, kExamAttempt,
  kExamGrading, kReview, kDispute, kTransaction, kInvoice, kPayout,
};

// The prefix an id kind is written with ("lab", "usr", "prj", ...).
std::string_view IdPrefix(IdKind kind);
// What an id of the kind names, for messages ("lab", "user", "project", "API token", ...).
std::string_view IdNoun(IdKind kind);

class IdCodec {
 public:
  // `key` is the instance's id key (16 bytes or more; only the first 16 are used).
  explicit IdCodec(std::string_view key);

  std::string Encode(IdKind kind, std::int64_t id) const;
  // The internal id, or nullopt when `text` is not an id of this kind made with this key.
  std::optional<std::int64_t> Decode(IdKind kind, std::string_view text) const;
  // The internal id of a resource named in a request (a path or body). An id that does not
  // decode names nothing the caller can see, so it is answered like a foreign one.
  // Errors: kNotFound "no such <noun>" when `text` is not an id of this kind.
  [[nodiscard]] Result<std::int64_t> Find(IdKind kind, std::string_view text) const;

 private:
  std::uint32_t Round(IdKind kind, int round, std::uint32_t half) const;
  unsigned char key_[16];
};

}  // namespace fw::security
