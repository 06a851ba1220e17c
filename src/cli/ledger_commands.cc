#include "cli/ledger_commands.h"

#include <cstdio>

#include "pay/ledger.h"

namespace fw::cli {

Status LedgerCheck(app::App& a) {
  FW_TRY(pay::CheckReport r, pay::Ledger::Check(a.db()));
  for (const std::string& m : r.mismatches) std::fprintf(stderr, "mismatch: %s\n", m.c_str());
  std::printf(
      "checked %lld transactions, %lld accounts, %lld invoices (%lld paid), %lld payout "
      "batches: %s\n",
      static_cast<long long>(r.transactions), static_cast<long long>(r.accounts),
      static_cast<long long>(r.invoices), static_cast<long long>(r.paid_invoices),
      static_cast<long long>(r.payouts), r.mismatches.empty() ? "all reconcile" : "MISMATCH");
  if (!r.mismatches.empty()) {
    return Internal(std::to_string(r.mismatches.size()) +
                    " mismatch(es): the ledger does not reconcile");
  }
  return {};
}

void AddLedgerCommands(CLI::App& cli, const BindAppCommand& bind) {
  auto* ledger = cli.add_subcommand("ledger", "the pay ledger");
  ledger->require_subcommand(1);
  auto* check = ledger->add_subcommand(
      "check",
      "verify every transaction balances, every balance equals its postings and every invoice "
      "(and its payment) and payout reconciles; exit 1 on a mismatch");
  bind(check, LedgerCheck);
}

}  // namespace fw::cli
