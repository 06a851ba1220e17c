#pragma once
// The quality engine on the command line: `fachwerk aggregate`, `fachwerk agreement` and
// `fachwerk replay` (docs/quality.md, "Command line" and "Adaptive redundancy"). This file
// reads the input files, calls quality/ and writes the results; every computation is in
// quality/.
//
// Exit codes, the same for all three commands: 0 on success; 2 for a usage error (an unknown
// method, metric, policy or format, an option out of range, an option that does not apply);
// 1 for a data error (a file that cannot be read or written, an empty file, a missing column,
// a line that does not parse, data on which the statistic is undefined). An error is one line
// on standard error, "fachwerk: <file>: line N: <what>" when a line is at fault. Flag syntax
// errors found by CLI11 itself (a missing --in, a non-number) exit with CLI11's codes, as
// they do for every other command.

#include <CLI/CLI.hpp>
#include <memory>

namespace fw::cli {

// Registers the three subcommands on `cli`. When one of them runs it stores its exit code in
// `exit_code`. Both must outlive cli.parse(), and so must this object (the subcommands' flags
// live in it). Thread safety: none needed; used from main only.
class QualityCommands {
 public:
  QualityCommands(CLI::App& cli, int& exit_code);
  ~QualityCommands();
  QualityCommands(const QualityCommands&) = delete;
  QualityCommands& operator=(const QualityCommands&) = delete;

  struct Flags;  // the parsed flags (defined in the .cc)

 private:
  std::unique_ptr<Flags> flags_;
};

}  // namespace fw::cli
