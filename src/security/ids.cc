#include "security/ids.h"

#include <fmt/format.h>

#include <cstring>

#include <sodium.h>

#include "base/error.h"

namespace fw::security {

std::string_view IdPrefix(IdKind kind) {
  switch (kind) {
    case IdKind::kOrg: return "lab";
    case IdKind::kUser: return "usr";
    case IdKind::kProject: return "prj";
    case IdKind::kItem: return "itm";
    case IdKind::kAssignment: return "asg";
    case IdKind::kSubmission: return "sub";
    case IdKind::kToken: return "tok";
    case IdKind::kImport: return "imp";
    case IdKind::kExpert: return "exp";
    case IdKind::kSession: return "ses";
    case IdKind::kInvitation: return "inv";
    case IdKind::kCredential: return "crd";
    case IdKind::kAffiliation: return "aff";
    case IdKind::kExpertInvitation: return "xin";
    case IdKind::kExam: return "exm";
    case IdKind::kExamQuestion: return "exq";
    case IdKind::kExamAttempt: return "att";
    case IdKind::kExamGrading: return "grd";
    case IdKind::kReview: return "rvw";
    case IdKind::kDispute: return "dsp";
    case IdKind::kTransaction: return "txn";
    case IdKind::kInvoice: return "ivc";
    case IdKind::kPayout: return "pob";
  }
  return "id";
}

std::string_view IdNoun(IdKind kind) {
  switch (kind) {
    case IdKind::kOrg: return "lab";
    case IdKind::kUser: return "user";
    case IdKind::kProject: return "project";
    case IdKind::kItem: return "item";
    case IdKind::kAssignment: return "assignment";
    case IdKind::kSubmission: return "submission";
    case IdKind::kToken: return "API token";
    case IdKind::kImport: return "import";
    case IdKind::kExpert: return "expert";
    case IdKind::kSession: return "session";
    case IdKind::kInvitation: return "invitation";
    case IdKind::kCredential: return "credential";
    case IdKind::kAffiliation: return "affiliation";
    case IdKind::kExpertInvitation: return "expert invitation";
    case IdKind::kExam: return "exam";
    case IdKind::kExamQuestion: return "exam question";
    case IdKind::kExamAttempt: return "exam attempt";
    case IdKind::kExamGrading: return "grading";
    case IdKind::kReview: return "review";
    case IdKind::kDispute: return "dispute";
    case IdKind::kTransaction: return "ledger transaction";
    case IdKind::kInvoice: return "invoice";
    case IdKind::kPayout: return "payout batch";
  }
  return "resource";
}

namespace {
constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr int kRounds = 4;
constexpr std::int64_t kMaxId = std::int64_t{1} << 53;
}  // namespace

IdCodec::IdCodec(std::string_view key) {
  FW_CHECK(key.size() >= sizeof key_);
  std::memcpy(key_, key.data(), sizeof key_);
}

std::uint32_t IdCodec::Round(IdKind kind, int round, std::uint32_t half) const {
  unsigned char msg[6] = {static_cast<unsigned char>(kind), static_cast<unsigned char>(round),
                          static_cast<unsigned char>(half >> 24), static_cast<unsigned char>(half >> 16),
                          static_cast<unsigned char>(half >> 8), static_cast<unsigned char>(half)};
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, msg, sizeof msg, key_);
  std::uint32_t r;
  std::memcpy(&r, out, sizeof r);
  return r;
}

std::string IdCodec::Encode(IdKind kind, std::int64_t id) const {
  FW_CHECK(id > 0 && id < kMaxId);
  auto v = static_cast<std::uint64_t>(id);
  std::uint32_t left = static_cast<std::uint32_t>(v >> 32), right = static_cast<std::uint32_t>(v);
  for (int r = 0; r < kRounds; ++r) {
    std::uint32_t next = left ^ Round(kind, r, right);
    left = right;
    right = next;
  }
  std::uint64_t x = (static_cast<std::uint64_t>(left) << 32) | right;
  std::string out(IdPrefix(kind));
  out += '_';
  // 13 base32 digits hold 65 bits; the top digit carries the top 4 bits.
  char digits[13];
  for (int i = 12; i >= 0; --i) {
    digits[i] = kAlphabet[x & 31];
    x >>= 5;
  }
  out.append(digits, 13);
  return out;
}

std::optional<std::int64_t> IdCodec::Decode(IdKind kind, std::string_view text) const {
  std::string_view prefix = IdPrefix(kind);
  if (text.size() != prefix.size() + 14 || text.substr(0, prefix.size()) != prefix ||
      text[prefix.size()] != '_') {
    return std::nullopt;
  }
  std::uint64_t x = 0;
  for (char c : text.substr(prefix.size() + 1)) {
    int d;
    if (c >= 'a' && c <= 'z') d = c - 'a';
    else if (c >= '2' && c <= '7') d = c - '2' + 26;
    else return std::nullopt;
    if ((x >> 59) != 0) return std::nullopt;  // more than 64 bits
    x = (x << 5) | static_cast<std::uint64_t>(d);
  }
  std::uint32_t left = static_cast<std::uint32_t>(x >> 32), right = static_cast<std::uint32_t>(x);
  for (int r = kRounds - 1; r >= 0; --r) {
    std::uint32_t prev = right ^ Round(kind, r, left);
    right = left;
    left = prev;
  }
  std::uint64_t v = (static_cast<std::uint64_t>(left) << 32) | right;
  if (v == 0 || v >= static_cast<std::uint64_t>(kMaxId)) return std::nullopt;
  // Re-encoding must give the same text (rejects a non-canonical top digit).
  if (Encode(kind, static_cast<std::int64_t>(v)) != text) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

Result<std::int64_t> IdCodec::Find(IdKind kind, std::string_view text) const {
  auto id = Decode(kind, text);
  if (!id) return NotFound(fmt::format("no such {}", IdNoun(kind)));
  return *id;
}

}  // namespace fw::security
