#pragma once
// The one codec that item payloads, gold answers and submitted answers pass through on their
// way into and out of the store; nothing else reads their stored bytes. Today it stores the
// JSON text as it is; per-tenant encryption at rest (XChaCha20-Poly1305 under a per-lab data
// key) will replace the implementation behind this interface, with the version prefix of the
// stored text telling the formats apart. Thread safety: any thread.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace fw::security {

class PayloadCodec {
 public:
  virtual ~PayloadCodec() = default;
  // The stored form of `plaintext` (UTF-8 JSON text) for the lab `org_id`.
  virtual std::string Seal(std::int64_t org_id, std::string_view plaintext) const = 0;
  // The plaintext of a stored value. Errors: kInternal when the value is corrupt or its key
  // is gone (a crypto-shredded lab).
  [[nodiscard]] virtual Result<std::string> Open(std::int64_t org_id, std::string_view stored) const = 0;
};

// Stores plaintext unchanged.
class PlainCodec final : public PayloadCodec {
 public:
  std::string Seal(std::int64_t, std::string_view plaintext) const override { return std::string(plaintext); }
  Result<std::string> Open(std::int64_t, std::string_view stored) const override { return std::string(stored); }
};

}  // namespace fw::security
