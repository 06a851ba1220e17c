// The CSV writer of statements, invoices and payout batches.

#include "pay/routes.h"

#include <gtest/gtest.h>

namespace fw::pay {
namespace {

TEST(CsvRecord, QuotesWhatNeedsQuotingAndEndsInCrlf) {
  EXPECT_EQ(CsvRecord({"a", "b c", ""}), "a,b c,\r\n");
  EXPECT_EQ(CsvRecord({"Optics, part 2", "say \"hi\"", "two\nlines"}),
            "\"Optics, part 2\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
}

TEST(CsvRecord, KeepsSpreadsheetsFromRunningTextAsAFormula) {
  EXPECT_EQ(CsvRecord({"=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"}),
            "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM(A1)\r\n");
  // Numeric fields are written as they are, a negative amount included.
  EXPECT_EQ(CsvRecord({"-1250", "-12.50", "refund"}, {true, true, false}),
            "-1250,-12.50,refund\r\n");
}

}  // namespace
}  // namespace fw::pay
