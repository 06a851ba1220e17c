#include "security/password_policy.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace fw::security {
namespace {

// The detail code of a refusal, after checking that the error has the documented shape:
// kInvalidArgument, one detail naming `field`, and a message that does not echo the password.
std::string RefusalCode(std::string_view password, std::string_view field = "password",
                        std::span<const std::string_view> context = {}) {
  auto s = CheckNewPassword(password, field, context);
  if (s) return "accepted";
  const Error& e = s.error();
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(e.message.empty());
  if (e.details.size() != 1) {
    ADD_FAILURE() << "expected one detail, got " << e.details.size();
    return "malformed";
  }
  EXPECT_EQ(e.details[0].field, field);
  EXPECT_FALSE(e.details[0].message.empty());
  if (password.size() >= 4) {
    EXPECT_EQ(e.message.find(password), std::string::npos) << "the message echoes the password";
  }
  return e.details[0].code;
}

TEST(CheckNewPassword, AcceptsGoodPassphrases) {
  EXPECT_EQ(RefusalCode("correct horse battery"), "accepted");
  EXPECT_EQ(RefusalCode("Quanten-Feld-Theorie-7"), "accepted");
  // Ten CJK code points (30 bytes).
  EXPECT_EQ(RefusalCode("\u6625\u7720\u4e0d\u89ba\u6653\u5904\u5904\u805e\u557c\u9ce5"),
            "accepted");
  // Any printable Unicode: spaces, emoji (4-byte UTF-8), U+00A0.
  EXPECT_EQ(RefusalCode("  two  spaces  "), "accepted");
  EXPECT_EQ(RefusalCode("\U0001F600\U0001F600 smile \u00a0ok"), "accepted");
}

TEST(CheckNewPassword, RefusesTheExamplesFromTheIssue) {
  EXPECT_EQ(RefusalCode("\u00e9\u00e9\u00e9\u00e9\u00e9"), "too_short");  // ééééé: 10 bytes
  EXPECT_EQ(RefusalCode("password12"), "common");
  EXPECT_EQ(RefusalCode("1234567890"), "common");
  EXPECT_EQ(RefusalCode(std::string(12, '\0')), "control_character");
}

TEST(CheckNewPassword, CountsCodePointsNotBytes) {
  EXPECT_EQ(RefusalCode("\u00e9t\u00e9 \u00e0 Ber"), "too_short");  // 9 code points, 12 bytes
  EXPECT_EQ(RefusalCode("\u00e9t\u00e9 \u00e0 Bern"), "accepted");  // 10 code points
  EXPECT_EQ(RefusalCode("nine char"), "too_short");
  EXPECT_EQ(RefusalCode(""), "too_short");
}

TEST(CheckNewPassword, BoundsTheLengthInBytes) {
  std::string at_limit(kMaxPasswordBytes, 'x');
  at_limit[0] = 'y';  // not one repeated character
  EXPECT_EQ(RefusalCode(at_limit), "accepted");
  EXPECT_EQ(RefusalCode(at_limit + "x"), "too_long");
  // The bound is in bytes: 342 three-byte characters are 1026 bytes.
  std::string cjk;
  for (int i = 0; i < 342; ++i) cjk += i % 2 ? "\u6625" : "\u7720";
  EXPECT_EQ(RefusalCode(cjk), "too_long");
  // Checked before anything else: an overlong string of control bytes is too_long.
  EXPECT_EQ(RefusalCode(std::string(kMaxPasswordBytes + 1, '\0')), "too_long");
}

TEST(CheckNewPassword, RefusesMalformedUtf8) {
  const std::string_view cases[] = {
      "abcdefghij\xff",              // a byte that never occurs in UTF-8
      "abcdefghij\x80",              // a lone continuation byte
      "abcdefghij\xc3",              // a truncated sequence at the end
      "abcdefghij\xc3(k",            // a lead byte without its continuation
      "abcdefghij\xc0\xaf",          // overlong '/'
      "abcdefghij\xe0\x80\xaf",      // overlong '/' in three bytes
      "abcdefghij\xed\xa0\x80",      // a UTF-16 surrogate (U+D800)
      "abcdefghij\xf4\x90\x80\x80",  // beyond U+10FFFF
      "abcdefghij\xf5\x80\x80\x80",  // a lead byte RFC 3629 forbids
  };
  for (std::string_view c : cases) EXPECT_EQ(RefusalCode(c), "invalid_utf8") << c.size();
  // Highest code points of each length are fine.
  EXPECT_EQ(RefusalCode("abcdefghij\xdf\xbf\xef\xbf\xbd\xf4\x8f\xbf\xbf"), "accepted");
}

TEST(CheckNewPassword, RefusesControlCharacters) {
  const std::string_view cases[] = {
      std::string_view("correct horse\0battery", 21),  // NUL
      "correct horse\tbattery",                        // tab
      "correct horse\nbattery",
      "correct horse battery\r",
      "correct horse\x1b battery",    // ESC
      "correct horse\x7f battery",    // DEL
      "correct horse\u0085battery",   // NEL (C1)
      "correct horse\u009f battery",  // last C1 control
  };
  for (std::string_view c : cases) EXPECT_EQ(RefusalCode(c), "control_character") << c;
  EXPECT_EQ(RefusalCode("correct horse\u00a0battery"), "accepted");  // first after C1
}

TEST(CheckNewPassword, RefusesCommonPasswordsIgnoringAsciiCase) {
  EXPECT_EQ(RefusalCode("qwertyuiop"), "common");
  EXPECT_EQ(RefusalCode("QwertyUIOP"), "common");
  EXPECT_EQ(RefusalCode("PASSWORD12"), "common");
  EXPECT_EQ(RefusalCode("password13x"), "accepted");
  EXPECT_TRUE(IsCommonPassword("Password12"));
  EXPECT_FALSE(IsCommonPassword("correct horse battery"));
  // The first and last entries of the list are found (binary search over both ends).
  EXPECT_TRUE(IsCommonPassword("0000000000d"));
  EXPECT_TRUE(IsCommonPassword("zxcvbnmmnbvcxz"));
}

TEST(CheckNewPassword, RefusesOneRepeatedCharacter) {
  EXPECT_EQ(RefusalCode("aaaaaaaaaaaa"), "common");
  EXPECT_EQ(RefusalCode(std::string(20, ' ')), "common");
  EXPECT_EQ(RefusalCode("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"), "common");
  EXPECT_EQ(RefusalCode("aaaaaaaaaaab"), "accepted");
}

TEST(CheckNewPassword, RefusesContextWords) {
  const std::array<std::string_view, 2> context = {" Ada.Lovelace@Example.org ",
                                                   "Augusta Ada King"};
  EXPECT_EQ(RefusalCode("ada.lovelace@example.org", "password", context), "context");
  EXPECT_EQ(RefusalCode("ADA.LOVELACE", "password", context), "context");  // local part
  EXPECT_EQ(RefusalCode("augusta ada king", "password", context), "context");
  EXPECT_EQ(RefusalCode("ada.lovelace!", "password", context), "accepted");
  EXPECT_EQ(RefusalCode("correct horse battery", "password", context), "accepted");
  // Empty words and a bare '@' prefix do not make every password a context word.
  const std::array<std::string_view, 3> odd = {"", "   ", "@example.org"};
  EXPECT_EQ(RefusalCode("correct horse battery", "password", odd), "accepted");
}

TEST(CheckNewPassword, NamesTheFieldAndSaysWhatToDo) {
  auto s = CheckNewPassword("short", "new_password");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message.rfind("new_password ", 0), 0u) << s.error().message;
  EXPECT_NE(s.error().message.find("longer passphrase"), std::string::npos);
  EXPECT_EQ(RefusalCode("password12", "new_password"), "common");
}

}  // namespace
}  // namespace fw::security
