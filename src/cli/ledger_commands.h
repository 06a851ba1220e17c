#pragma once
// `fachwerk ledger check`: verifies the ledger on the instance's database — every transaction
// sums to zero, every account's balance equals its postings, every invoice and payout batch
// reconciles with the transactions it names (pay::Ledger::Check) — and prints how many
// transactions it checked. Exit code 0 when everything reconciles, 1 on a mismatch (each one
// printed on standard error) or a database failure.

#include <CLI/CLI.hpp>
#include <functional>

#include "app/app.h"
#include "base/error.h"

namespace fw::cli {

// Runs the check on `a` and prints the result. Errors: kInternal "the ledger does not
// reconcile" after printing the mismatches; database failures.
[[nodiscard]] Status LedgerCheck(app::App& a);

// Gives `cmd` the configuration flags and, when it is chosen, runs `run` on the instance
// (main's WithApp).
using BindAppCommand = std::function<void(CLI::App* cmd, Status (*run)(app::App&))>;

// Registers `ledger` with its subcommand `check` on `cli`.
void AddLedgerCommands(CLI::App& cli, const BindAppCommand& bind);

}  // namespace fw::cli
