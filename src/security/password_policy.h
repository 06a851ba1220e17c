#pragma once
// The rules a new password must meet, after NIST SP 800-63B section 5.1.1.2: a minimum length
// in characters, any printable Unicode allowed (spaces too), no composition rules, and a check
// against common and breached passwords and words from the user's context. Pure functions, no
// I/O: callable from any thread, before or without InitCrypto().
//
// The common-password list is compiled into the binary from common_passwords.inc: 1557
// passwords of 10 or more characters, lower-cased, taken from the "passwords" dictionary of
// the npm package @zxcvbn-ts/language-common 4.1.3 (MIT licence, Copyright (c) 2012-2016 Dan
// Wheeler and Dropbox, Inc., Copyright (c) 2021 @zxcvbn-ts); the file says how to regenerate it.

#include <cstddef>
#include <span>
#include <string_view>

#include "base/error.h"

namespace fw::security {

// Fewest characters a password may have, counted as Unicode code points ("ééééé" is 5).
inline constexpr std::size_t kMinPasswordCodePoints = 10;
// Most bytes a password may have; bounds the work hashing one costs.
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// Checks a password a user is choosing (sign-up, reset, change; not a login). `field` names
// the request field in the error ("password", "new_password"). `context` holds words the
// password must not equal: the user's e-mail address (its local part, before the last '@',
// counts too), name and the like. (The service name needs no entry: "fachwerk" is shorter than
// kMinPasswordCodePoints.) Context words are trimmed of ASCII white space; empty ones are
// ignored.
// Returns {} when the password is acceptable. Errors: kInvalidArgument with one message for
// the user (it never contains the password) and one detail {field, code, message}; the rules
// are checked in this order, and code says which one failed first:
//   too_long           more than kMaxPasswordBytes bytes (checked first, so work stays bounded)
//   invalid_utf8       not well-formed UTF-8 (overlong forms and surrogates included)
//   control_character  a C0 control (U+0000..U+001F, so tab and NUL too), DEL or a C1 control
//                      (U+0080..U+009F)
//   too_short          fewer than kMinPasswordCodePoints code points
//   common             one character repeated, or on the common-password list (ASCII letters
//                      compared case-insensitively)
//   context            equal to a context word (ASCII letters compared case-insensitively)
// The result depends only on the arguments, so a retry gives the same answer.
[[nodiscard]] Status CheckNewPassword(std::string_view password, std::string_view field,
                                      std::span<const std::string_view> context = {});

// True when `password`, with ASCII letters lower-cased, is on the common-password list.
bool IsCommonPassword(std::string_view password);

}  // namespace fw::security
