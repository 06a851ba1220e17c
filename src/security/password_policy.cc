#include "security/password_policy.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fw::security {
namespace {

// A constant array needs no run-time initialization, so lookups are safe from any thread
// from the start, and the compiler checks the order that binary search relies on.
constexpr std::string_view kCommonPasswords[] = {
#include "security/common_passwords.inc"
};
static_assert(std::ranges::adjacent_find(kCommonPasswords, std::ranges::greater_equal()) ==
                  std::ranges::end(kCommonPasswords),
              "common_passwords.inc must be sorted bytewise without duplicates");

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) { return AsciiLower(x) == AsciiLower(y); });
}

std::string_view TrimAsciiSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// Decodes well-formed UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing
// beyond U+10FFFF); nullopt for anything else.
std::optional<std::vector<char32_t>> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char lead = byte(i);
    if (lead < 0x80) {
      out.push_back(lead);
      ++i;
      continue;
    }
    // Length and the range of the second byte, which is where overlong forms, surrogates and
    // code points beyond U+10FFFF are excluded.
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    char32_t cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      len = 2;
      cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      len = 3;
      cp = lead & 0x0F;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      len = 4;
      cp = lead & 0x07;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    } else {
      return std::nullopt;
    }
    if (s.size() - i < len) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      unsigned char b = byte(i + k);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return std::nullopt;
      cp = (cp << 6) | (b & 0x3F);
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

tl::unexpected<Error> Refuse(std::string_view field, std::string_view code,
                             std::string_view message) {
  std::string f(field);
  return InvalidArgument(f + " " + std::string(message),
                         {{f, std::string(code), std::string(message)}});
}

bool EqualsContextWord(std::string_view password, std::string_view word) {
  word = TrimAsciiSpace(word);
  if (word.empty()) return false;
  if (EqualsIgnoringAsciiCase(password, word)) return true;
  auto at = word.rfind('@');
  return at != std::string_view::npos && at > 0 &&
         EqualsIgnoringAsciiCase(password, word.substr(0, at));
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  std::string lower = AsciiLower(password);
  return std::ranges::binary_search(kCommonPasswords, std::string_view(lower));
}

Status CheckNewPassword(std::string_view password, std::string_view field,
                        std::span<const std::string_view> context) {
  if (password.size() > kMaxPasswordBytes) {
    return Refuse(field, "too_long",
                  "must be at most " + std::to_string(kMaxPasswordBytes) +
                      " bytes long (fewer characters in most non-Latin scripts); choose a "
                      "shorter passphrase");
  }
  auto code_points = DecodeUtf8(password);
  if (!code_points) {
    return Refuse(field, "invalid_utf8",
                  "is not valid UTF-8 text; type it again or choose another passphrase");
  }
  if (std::ranges::any_of(*code_points, IsControl)) {
    return Refuse(field, "control_character",
                  "must not contain control characters such as tabs or line breaks; use "
                  "letters, digits, spaces and punctuation");
  }
  if (code_points->size() < kMinPasswordCodePoints) {
    return Refuse(field, "too_short",
                  "must have at least " + std::to_string(kMinPasswordCodePoints) +
                      " characters; choose a longer passphrase, such as three or four words");
  }
  if (std::ranges::all_of(*code_points, [&](char32_t cp) { return cp == code_points->front(); })) {
    return Refuse(field, "common",
                  "repeats a single character; choose a passphrase of several words");
  }
  if (IsCommonPassword(password)) {
    return Refuse(field, "common",
                  "is too common (it appears on lists of breached passwords); choose a longer "
                  "passphrase that nobody else is likely to use");
  }
  if (std::ranges::any_of(context,
                          [&](std::string_view w) { return EqualsContextWord(password, w); })) {
    return Refuse(field, "context",
                  "must not be your e-mail address or your name; choose a passphrase of several "
                  "words");
  }
  return {};
}

}  // namespace fw::security
