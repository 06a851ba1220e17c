#pragma once
// The HTTP routes of pay (docs/api.md, "Pay"): pay bands and markups (operators), a project's
// pay terms, costs and its lab's spend (the lab), an expert's rates and earnings, the ledger's
// adjustments, reversals and transactions (operators), invoices (operators issue; a lab reads
// its own) and payout batches (operators).

#include <functional>
#include <vector>

#include "http/router.h"
#include "pay/billing.h"
#include "pay/pay.h"
#include "security/ids.h"

namespace fw::pay {

// The projects an expert may see (the ones they may work on and the ones they could unlock),
// by id; the app answers it from the experts room's eligibility.
using VisibleProjects = std::function<Result<std::vector<std::int64_t>>(std::int64_t expert_id)>;

// Registers every pay route. The services, codec and function are borrowed and must outlive
// the router.
void RegisterRoutes(http::Router& router, PayService& pay, BillingService& billing,
                    const security::IdCodec& ids, VisibleProjects visible_projects);

// Writes one CSV record (RFC 4180: fields quoted when they hold a comma, quote or line break;
// a text field starting with =, +, - or @ is prefixed with ' so a spreadsheet does not run
// it), ending in CRLF. `numeric` marks the fields written as they are.
std::string CsvRecord(const std::vector<std::string>& fields,
                      const std::vector<bool>& numeric = {});

}  // namespace fw::pay
