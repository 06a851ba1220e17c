#pragma once
// Money: integer minor units with an ISO 4217 currency; no floating point anywhere on money.
//
// The rounding rule (docs/api.md, "Pay"): half up — a remainder of exactly one half rounds
// away from zero (the inputs of costs and prices are never negative, so ties go up). An
// expert's cost is round(hourly_minor × seconds / 3600); the lab's price is
// cost + round(cost × markup_bp / 10000), or the project's fixed price per accepted task.
// Every operation checks for overflow and says so instead of wrapping.
//
// Thread safety: free functions over immutable tables; any thread.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/error.h"

namespace fw {

// An ISO 4217 currency: its alphabetic code and how many decimal digits its minor unit has
// (USD 2, JPY 0, KWD 3).
struct Currency {
  std::string_view code;
  int exponent = 2;
  friend bool operator==(const Currency&, const Currency&) = default;
};

// The currencies this instance knows, by code.
std::span<const Currency> Currencies();

// The currency with that code (upper-case, as ISO 4217 writes it), or nullopt.
std::optional<Currency> FindCurrency(std::string_view code);

// Parses a decimal amount in the currency's major unit ("12.34", "-0.5", "100") into minor
// units. At most the currency's exponent of fraction digits; no exponent notation, no
// grouping. Errors: kInvalidArgument naming `field` (code "invalid" for a malformed amount,
// "too_precise" for more fraction digits than the currency has, "out_of_range" on overflow).
[[nodiscard]] Result<std::int64_t> ParseAmount(std::string_view text, const Currency& currency,
                                               std::string_view field = "amount");

// Formats minor units in the currency's major unit with exactly its exponent of fraction
// digits ("12.34", "-0.05", "1000" for JPY). Never fails.
std::string FormatAmount(std::int64_t minor, const Currency& currency);

// Overflow-checked arithmetic: nullopt when the exact result does not fit in 64 bits.
std::optional<std::int64_t> CheckedAdd(std::int64_t a, std::int64_t b);
std::optional<std::int64_t> CheckedSub(std::int64_t a, std::int64_t b);
std::optional<std::int64_t> CheckedMul(std::int64_t a, std::int64_t b);

// round(a × b / d), half up (ties away from zero), computed exactly in 128 bits. `d` > 0.
// nullopt when the result does not fit in 64 bits.
std::optional<std::int64_t> MulDivRoundHalfUp(std::int64_t a, std::int64_t b, std::int64_t d);

// The expert's cost of `seconds` at `hourly_minor`: round(hourly_minor × seconds / 3600).
// Errors: kUnprocessable "amount_overflow" when it does not fit.
[[nodiscard]] Result<std::int64_t> CostOfSeconds(std::int64_t hourly_minor, std::int64_t seconds);

// The price of `cost_minor` under a markup in basis points (1/100 of a percent):
// cost + round(cost × markup_bp / 10000). Errors: kUnprocessable "amount_overflow".
[[nodiscard]] Result<std::int64_t> PriceWithMarkup(std::int64_t cost_minor, std::int64_t markup_bp);

}  // namespace fw
