#include "cli/quality_commands.h"

#include "base/json.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "quality/agreement.h"
#include "quality/answers.h"
#include "quality/categorical.h"
#include "quality/pairwise.h"
#include "quality/replay.h"

namespace fw::cli {

struct QualityCommands::Flags {
  // Shared by the three commands (only one runs per invocation).
  std::string in;
  std::string truth;
  std::string out = "-";
  std::string format = "text";
  std::string method = "ds";
  std::optional<int> max_iterations;  // unset: the method's default
  std::optional<double> tolerance;
  std::optional<double> prior;
  std::string glad_start = "ds";
  std::uint64_t seed = 0;
  // aggregate --method bt
  std::string task_out;
  // agreement
  std::string metric;
  std::size_t raters = 0;
  std::size_t min_overlap = 1;
  // replay
  std::string policy = "adaptive";
  double threshold = quality::ReplayOptions{}.rule.threshold;
  std::size_t min_judgments = quality::ReplayOptions{}.rule.min_judgments;
  std::size_t max_judgments = 0;
  double refit_growth = quality::ReplayOptions{}.refit_growth;
  int model_iterations = quality::ReplayOptions{}.model_iterations;
  std::size_t repeat = 1;
  double change = quality::ReplayOptions{}.rule.change;
  double gate = quality::ReplayOptions{}.gate.min_information;
  std::size_t gate_min = quality::ReplayOptions{}.gate.min_judgments;
};

namespace {

enum class Format { kText, kJson };

// One line on stderr; 2 for usage errors, 1 for data errors (quality_commands.h).
int UsageError(const Error& e) {
  std::fprintf(stderr, "fachwerk: %s\n", e.message.c_str());
  return 2;
}
int DataError(std::string_view file, const Error& e) {
  if (file.empty()) {
    std::fprintf(stderr, "fachwerk: %s\n", e.message.c_str());
  } else {
    std::fprintf(stderr, "fachwerk: %.*s: %s\n", static_cast<int>(file.size()), file.data(),
                 e.message.c_str());
  }
  return 1;
}

std::string_view InName(const std::string& path) {
  return path == "-" ? std::string_view("standard input") : std::string_view(path);
}
std::string_view OutName(const std::string& path) {
  return path.empty() || path == "-" ? std::string_view("standard output") : std::string_view(path);
}

Result<Format> ParseFormat(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  return InvalidArgument(fmt::format("unknown --format '{}' (expected text or json)", name));
}

// The whole file, or standard input for "-".
Result<std::string> ReadWholeFile(const std::string& path) {
  const bool is_stdin = path == "-";
  const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NotFound(fmt::format("cannot open: {}", std::strerror(errno)));
  // Sized by fstat plus one byte, so that a regular file takes one read and the read that
  // sees the end needs no reallocation.
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  std::string text(regular ? static_cast<std::size_t>(st.st_size) + 1 : 65536, '\0');
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) text.resize(2 * text.size());
    const ssize_t k = ::read(fd, text.data() + used, text.size() - used);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) {
      const int err = errno;
      if (!is_stdin) ::close(fd);
      return Fail(ErrorCode::kUnavailable, fmt::format("cannot read: {}", std::strerror(err)));
    }
    if (k == 0) break;
    used += static_cast<std::size_t>(k);
  }
  if (!is_stdin) ::close(fd);
  text.resize(used);
  return text;
}

// Writes `data` to `path` ("-" or empty: standard output) in one call.
Status WriteWholeFile(const std::string& path, std::string_view data) {
  const bool is_stdout = path.empty() || path == "-";
  std::FILE* f = is_stdout ? stdout : std::fopen(path.c_str(), "wb");
  if (!f)
    return Fail(ErrorCode::kUnavailable, fmt::format("cannot write: {}", std::strerror(errno)));
  const bool wrote = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  const bool flushed = is_stdout ? std::fflush(f) == 0 : std::fclose(f) == 0;
  if (!wrote || !flushed) {
    return Fail(ErrorCode::kUnavailable, fmt::format("cannot write: {}", std::strerror(errno)));
  }
  return {};
}

using Out = std::back_insert_iterator<std::string>;

// RFC 4180: quoted only when it has to be.
void CsvField(std::string& buf, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    buf.append(s);
    return;
  }
  buf.push_back('"');
  for (char c : s) {
    if (c == '"') buf.push_back('"');
    buf.push_back(c);
  }
  buf.push_back('"');
}

void JsonString(std::string& buf, std::string_view s) {
  buf.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      buf.push_back('\\');
      buf.push_back(c);
    } else if (u < 0x20) {
      fmt::format_to(Out(buf), "\\u{:04x}", u);
    } else {
      buf.push_back(c);
    }
  }
  buf.push_back('"');
}

// Shortest text that reads back as the same double; JSON has no NaN or infinity.
void JsonNumber(std::string& buf, double v) { AppendJsonNumber(buf, v); }

// The inference flags over the library's defaults, with --seed. Checked here rather than left
// to the library so that a bad value is a usage error (exit 2).
Result<quality::InferenceOptions> ReadInferenceOptions(const QualityCommands::Flags& f) {
  if (f.max_iterations && *f.max_iterations < 1) {
    return InvalidArgument("--max-iterations must be at least 1");
  }
  if (f.tolerance && !(*f.tolerance > 0)) return InvalidArgument("--tolerance must be positive");
  if (f.prior && !(*f.prior >= 0 && std::isfinite(*f.prior))) {
    return InvalidArgument("--prior must be a number >= 0");
  }
  quality::InferenceOptions o;
  if (f.max_iterations) o.max_iterations = *f.max_iterations;
  if (f.tolerance) o.tolerance = *f.tolerance;
  o.prior = f.prior;
  if (f.glad_start == "vote") {
    o.glad_start = quality::InferenceOptions::GladStart::kVote;
  } else if (f.glad_start != "ds") {
    return InvalidArgument("--glad-start must be ds or vote, not '" + f.glad_start + "'");
  }
  o.seed = f.seed;
  return o;
}

Result<quality::Method> ParseCategoricalMethod(std::string_view name) {
  auto m = quality::ParseMethod(name);
  if (!m) {
    return InvalidArgument(
        fmt::format("unknown --method '{}' (expected mv, wawa, ds, ods, glad or bt)", name));
  }
  return *m;
}

// The contents of `path` ("-": standard input) parsed by `parse`. The text is released on
// return, so a large input is not held through the inference.
template <typename Parse>
auto ReadAndParse(const std::string& path, Parse parse) -> decltype(parse(std::string_view())) {
  auto text = ReadWholeFile(path);
  if (!text) return Fail(std::move(text.error()));
  return parse(*text);
}

// A truth file for the tasks of `answers` (quality::ParseTruth, which may add labels to it).
Result<quality::Truth> ReadTruth(const std::string& path, quality::AnswerSet& answers) {
  return ReadAndParse(path,
                      [&](std::string_view text) { return quality::ParseTruth(text, answers); });
}

// One line `task,answer,confidence` of a per-task CSV.
void CsvTaskRow(std::string& buf, std::string_view task, std::string_view answer,
                double confidence) {
  CsvField(buf, task);
  buf.push_back(',');
  CsvField(buf, answer);
  fmt::format_to(Out(buf), ",{:.6f}\n", confidence);
}

// One element {"task":..,"<answer_key>":..,"confidence":..} of a "results" array, after a
// comma unless it is the first.
void JsonTaskResult(std::string& buf, bool first, std::string_view task,
                    std::string_view answer_key, std::string_view answer, double confidence) {
  buf.append(first ? "{\"task\":" : ",{\"task\":");
  JsonString(buf, task);
  fmt::format_to(Out(buf), ",\"{}\":", answer_key);
  JsonString(buf, answer);
  buf.append(",\"confidence\":");
  JsonNumber(buf, confidence);
  buf.push_back('}');
}

// ---- aggregate

// Bradley–Terry has defaults of its own, so it takes only the inference flags that were given
// (checked by ReadInferenceOptions before this runs).
int AggregateComparisons(const QualityCommands::Flags& f, Format format) {
  if (!f.truth.empty()) {
    return UsageError(Error(ErrorCode::kInvalidArgument, "--truth does not apply to --method bt"));
  }
  auto set = ReadAndParse(f.in, quality::ParseComparisons);
  if (!set) return DataError(InName(f.in), set.error());
  quality::BradleyTerryOptions options;
  if (f.max_iterations) options.max_iterations = *f.max_iterations;
  if (f.tolerance) options.tolerance = *f.tolerance;
  if (f.prior) options.prior_strength = *f.prior;
  auto bt = quality::BradleyTerry(*set, options);
  if (!bt) return DataError(InName(f.in), bt.error());

  std::string buf;
  buf.reserve(64 * (set->responses.size() + set->tasks.size()) + 256);
  // The per-task preferences go to --task-out as CSV whatever --format says.
  std::string tasks_buf;
  if (!f.task_out.empty()) {
    tasks_buf.reserve(48 * set->tasks.size() + 32);
    tasks_buf.append("task,preferred,confidence\n");
    for (std::size_t t = 0; t < set->tasks.size(); ++t) {
      CsvTaskRow(tasks_buf, set->tasks[t], set->responses[bt->task_winner[t]],
                 bt->task_confidence[t]);
    }
  }
  if (format == Format::kText) {
    buf.append("response,score,ci_low,ci_high\n");
    for (std::size_t r = 0; r < set->responses.size(); ++r) {
      CsvField(buf, set->responses[r]);
      fmt::format_to(Out(buf), ",{:.6f},{:.6f},{:.6f}\n", bt->score[r], bt->ci_low[r],
                     bt->ci_high[r]);
    }
    if (!bt->converged) {
      std::fprintf(stderr, "fachwerk: warning: bt did not converge in %d iterations\n",
                   bt->iterations);
    }
  } else {
    fmt::format_to(Out(buf),
                   "{{\"method\":\"bt\",\"tasks\":{},\"workers\":{},\"comparisons\":{},"
                   "\"iterations\":{},\"converged\":{},\"responses\":[",
                   set->tasks.size(), set->workers.size(), set->comparisons.size(), bt->iterations,
                   bt->converged);
    for (std::size_t r = 0; r < set->responses.size(); ++r) {
      buf.append(r ? ",{\"response\":" : "{\"response\":");
      JsonString(buf, set->responses[r]);
      buf.append(",\"score\":");
      JsonNumber(buf, bt->score[r]);
      buf.append(",\"ci_low\":");
      JsonNumber(buf, bt->ci_low[r]);
      buf.append(",\"ci_high\":");
      JsonNumber(buf, bt->ci_high[r]);
      fmt::format_to(Out(buf), ",\"comparisons\":{}}}", bt->comparisons[r]);
    }
    buf.append("],\"results\":[");
    for (std::size_t t = 0; t < set->tasks.size(); ++t) {
      JsonTaskResult(buf, t == 0, set->tasks[t], "preferred", set->responses[bt->task_winner[t]],
                     bt->task_confidence[t]);
    }
    buf.append("]}\n");
  }
  if (auto st = WriteWholeFile(f.out, buf); !st) return DataError(OutName(f.out), st.error());
  if (!tasks_buf.empty()) {
    if (auto st = WriteWholeFile(f.task_out, tasks_buf); !st)
      return DataError(OutName(f.task_out), st.error());
  }
  return 0;
}

int Aggregate(const QualityCommands::Flags& f) {
  auto format = ParseFormat(f.format);
  if (!format) return UsageError(format.error());
  auto inference = ReadInferenceOptions(f);
  if (!inference) return UsageError(inference.error());
  if (f.method == "bt") return AggregateComparisons(f, *format);
  if (!f.task_out.empty()) {
    return UsageError(Error(ErrorCode::kInvalidArgument, "--task-out applies to --method bt only"));
  }
  auto method = ParseCategoricalMethod(f.method);
  if (!method) return UsageError(method.error());

  auto set = ReadAndParse(f.in, quality::ParseAnswers);
  if (!set) return DataError(InName(f.in), set.error());
  std::optional<quality::Truth> truth;
  if (!f.truth.empty()) {
    auto parsed = ReadTruth(f.truth, *set);
    if (!parsed) return DataError(f.truth, parsed.error());
    truth = std::move(*parsed);
  }
  auto result = quality::Infer(*set, *method, *inference);
  if (!result) return DataError(InName(f.in), result.error());
  std::optional<double> accuracy;
  if (truth) accuracy = quality::Accuracy(result->label, *truth);

  std::string buf;
  buf.reserve(48 * set->num_tasks() + (*format == Format::kJson ? 48 * set->num_workers() : 0) +
              512);
  if (*format == Format::kText) {
    buf.append("task,label,confidence\n");
    for (std::size_t t = 0; t < set->num_tasks(); ++t) {
      CsvTaskRow(buf, set->tasks[t], set->labels[result->label[t]], result->confidence[t]);
    }
  } else {
    fmt::format_to(
        Out(buf), "{{\"method\":\"{}\",\"tasks\":{},\"workers\":{},\"answers\":{},\"labels\":[",
        quality::MethodName(*method), set->num_tasks(), set->num_workers(), set->answers.size());
    for (std::size_t l = 0; l < set->num_labels(); ++l) {
      if (l) buf.push_back(',');
      JsonString(buf, set->labels[l]);
    }
    fmt::format_to(Out(buf), "],\"iterations\":{},\"converged\":{}", result->iterations,
                   result->converged);
    if (truth) {
      buf.append(",\"accuracy\":");
      JsonNumber(buf, *accuracy);
      fmt::format_to(Out(buf), ",\"truth_tasks\":{},\"truth_rows\":{}", truth->matched,
                     truth->rows);
    }
    buf.append(",\"results\":[");
    for (std::size_t t = 0; t < set->num_tasks(); ++t) {
      JsonTaskResult(buf, t == 0, set->tasks[t], "label", set->labels[result->label[t]],
                     result->confidence[t]);
    }
    buf.append("],\"worker_skills\":[");
    for (std::size_t w = 0; w < set->num_workers(); ++w) {
      buf.append(w ? ",{\"worker\":" : "{\"worker\":");
      JsonString(buf, set->workers[w]);
      buf.append(",\"skill\":");
      JsonNumber(buf, w < result->worker_skill.size() ? result->worker_skill[w] : NAN);
      buf.push_back('}');
    }
    buf.append("]}\n");
  }
  if (auto st = WriteWholeFile(f.out, buf); !st) return DataError(OutName(f.out), st.error());
  if (*format == Format::kText) {
    if (!result->converged) {
      std::fprintf(stderr, "fachwerk: warning: %s did not converge in %d iterations\n",
                   std::string(quality::MethodName(*method)).c_str(), result->iterations);
    }
    if (truth) {
      std::fprintf(stderr, "accuracy %.4f over %zu tasks with truth (%zu truth rows)\n", *accuracy,
                   truth->matched, truth->rows);
    }
  }
  return 0;
}

// ---- agreement

int Agreement(const QualityCommands::Flags& f) {
  auto format = ParseFormat(f.format);
  if (!format) return UsageError(format.error());
  static constexpr std::string_view kMetrics =
      "alpha-nominal, alpha-ordinal, alpha-interval, alpha-ratio, fleiss or cohen";
  std::optional<quality::AlphaLevel> level;
  if (f.metric == "alpha-nominal")
    level = quality::AlphaLevel::kNominal;
  else if (f.metric == "alpha-ordinal")
    level = quality::AlphaLevel::kOrdinal;
  else if (f.metric == "alpha-interval")
    level = quality::AlphaLevel::kInterval;
  else if (f.metric == "alpha-ratio")
    level = quality::AlphaLevel::kRatio;
  else if (f.metric != "fleiss" && f.metric != "cohen") {
    return UsageError(
        Error(ErrorCode::kInvalidArgument,
              fmt::format("unknown --metric '{}' (expected {})", f.metric, kMetrics)));
  }
  auto set = ReadAndParse(f.in, quality::ParseAnswers);
  if (!set) return DataError(InName(f.in), set.error());

  double value = 0;
  std::string extra_text, extra_json;
  if (level) {
    auto alpha = quality::KrippendorffAlpha(*set, *level);
    if (!alpha) return DataError(InName(f.in), alpha.error());
    value = *alpha;
  } else if (f.metric == "fleiss") {
    auto k = quality::FleissKappa(*set, f.raters);
    if (!k) return DataError(InName(f.in), k.error());
    value = k->kappa;
    extra_text =
        fmt::format(" ({} raters; {} tasks used, {} skipped)", k->raters, k->tasks, k->skipped);
    extra_json = fmt::format(",\"raters\":{},\"tasks_used\":{},\"tasks_skipped\":{}", k->raters,
                             k->tasks, k->skipped);
  } else {
    auto k = quality::CohenKappa(*set, f.min_overlap);
    if (!k) return DataError(InName(f.in), k.error());
    value = k->kappa;
    extra_text = fmt::format(" (mean over {} worker pairs, {} common tasks)", k->pairs, k->tasks);
    extra_json = fmt::format(",\"pairs\":{},\"common_tasks\":{}", k->pairs, k->tasks);
  }
  std::string buf;
  if (*format == Format::kText) {
    fmt::format_to(Out(buf), "{} {:.6f}{}\n", f.metric, value, extra_text);
  } else {
    fmt::format_to(Out(buf), "{{\"metric\":\"{}\",\"value\":", f.metric);
    JsonNumber(buf, value);
    fmt::format_to(Out(buf), ",\"tasks\":{},\"workers\":{},\"answers\":{}{}}}\n", set->num_tasks(),
                   set->num_workers(), set->answers.size(), extra_json);
  }
  if (auto st = WriteWholeFile(f.out, buf); !st) return DataError(OutName(f.out), st.error());
  return 0;
}

// ---- replay

// Means over the replayed arrival orders (one per seed).
struct ReplaySummary {
  double judgments = 0;
  double accuracy = 0;
  double savings = 0;
  double change_pp = 0;
  double stopped_early = 0;
  double gated = 0;
  double fits = 0;
  double savings_min = 1e300, savings_max = -1e300;
  double change_min = 1e300, change_max = -1e300;
};

ReplaySummary Summarise(const std::vector<quality::ReplayReport>& reports) {
  ReplaySummary s;
  for (const quality::ReplayReport& r : reports) {
    const double change = 100 * (r.run.accuracy - r.baseline.accuracy);
    s.judgments += static_cast<double>(r.run.judgments);
    s.accuracy += r.run.accuracy;
    s.savings += r.savings;
    s.change_pp += change;
    s.stopped_early += static_cast<double>(r.run.stopped_early);
    s.gated += static_cast<double>(r.run.gated);
    s.fits += static_cast<double>(r.run.fits);
    s.savings_min = std::min(s.savings_min, r.savings);
    s.savings_max = std::max(s.savings_max, r.savings);
    s.change_min = std::min(s.change_min, change);
    s.change_max = std::max(s.change_max, change);
  }
  const double n = static_cast<double>(reports.size());
  for (double* v :
       {&s.judgments, &s.accuracy, &s.savings, &s.change_pp, &s.stopped_early, &s.gated, &s.fits}) {
    *v /= n;
  }
  return s;
}

// The replay's options from the flags. Errors: kInvalidArgument naming the flag.
Result<quality::ReplayOptions> ReplayOptionsOf(const QualityCommands::Flags& f) {
  FW_TRY(auto inference, ReadInferenceOptions(f));
  if (f.method == "bt") {
    return Fail(ErrorCode::kInvalidArgument, "replay does not take --method bt");
  }
  FW_TRY(auto method, ParseCategoricalMethod(f.method));
  FW_TRY(auto policy, quality::ParsePolicy(f.policy, "--policy"));
  quality::ReplayOptions options;
  options.policy = policy;
  options.rule = {f.threshold, f.min_judgments, f.max_judgments, f.change};
  options.gate = {f.gate, f.gate_min};
  options.method = method;
  options.inference = inference;
  options.refit_growth = f.refit_growth;
  options.model_iterations = f.model_iterations;
  if (auto st = quality::ValidateStoppingRule(options.rule); !st) {
    return Fail(ErrorCode::kInvalidArgument, "--" + st.error().message);
  }
  if (!(f.refit_growth > 0)) {
    return Fail(ErrorCode::kInvalidArgument, "--refit-growth must be positive");
  }
  if (auto st = quality::ValidateExpertGate(options.gate); !st) {
    return Fail(ErrorCode::kInvalidArgument, "--" + st.error().message);
  }
  if (f.model_iterations < 0) {
    return Fail(ErrorCode::kInvalidArgument, "--model-iterations must be >= 0");
  }
  if (f.repeat < 1 || f.repeat > 1000) {
    return Fail(ErrorCode::kInvalidArgument, "--repeat must be in 1..1000");
  }
  return options;
}

// What a replay found, over its seeds, for the writers below.
struct ReplayOutcome {
  const std::vector<quality::ReplayReport>& reports;
  ReplaySummary sum;
  std::size_t tasks;
};

void AppendReplayText(std::string& buf, const QualityCommands::Flags& f,
                      const quality::ReplayOptions& options, const ReplayOutcome& o) {
  const quality::ReplayRun& baseline = o.reports.front().baseline;
  const ReplaySummary& sum = o.sum;
  const double tasks = static_cast<double>(o.tasks);
  const bool adaptive = options.policy == quality::Policy::kAdaptive;
  const std::string seeds = f.repeat == 1
                                ? fmt::format("seed {}", f.seed)
                                : fmt::format("seeds {}..{}, means", f.seed, f.seed + f.repeat - 1);
  const int count_decimals = f.repeat == 1 ? 0 : 1;  // a mean over seeds gets one decimal
  const std::string policy_desc =
      adaptive ? fmt::format("adaptive (threshold {}, min {}{}{}{})", f.threshold, f.min_judgments,
                             f.max_judgments ? fmt::format(", max {}", f.max_judgments) : "",
                             f.change > 0 ? fmt::format(", change {}", f.change) : "",
                             f.gate > 0 ? fmt::format(", gate {}/{}", f.gate, f.gate_min) : "")
               : (f.max_judgments ? fmt::format("fixed (max {})", f.max_judgments) : "fixed (all)");
  fmt::format_to(Out(buf),
                 "replay of {} answers on {} tasks ({} with truth), aggregated with {}; "
                 "arrival order: {}\n",
                 o.reports.front().answers, o.tasks, baseline.truth_tasks,
                 quality::MethodName(options.method), seeds);
  const std::size_t width = std::max<std::size_t>(policy_desc.size(), 15);
  fmt::format_to(Out(buf), "{:<{}}  {:>10}  {:>8}  {:>8}\n", "policy", width, "judgments",
                 "per task", "accuracy");
  auto row = [&](std::string_view name, double judgments, double accuracy) {
    fmt::format_to(Out(buf), "{:<{}}  {:>10.{}f}  {:>8.2f}  {:>7.2f}%\n", name, width, judgments,
                   count_decimals, judgments / tasks, 100 * accuracy);
  };
  row("full redundancy", static_cast<double>(baseline.judgments), baseline.accuracy);
  row(policy_desc, sum.judgments, sum.accuracy);
  fmt::format_to(Out(buf), "savings {:.1f}% of judgments, accuracy {:+.2f} pp", 100 * sum.savings,
                 sum.change_pp);
  if (f.repeat > 1) {
    fmt::format_to(Out(buf), " (savings {:.1f}..{:.1f}%, accuracy {:+.2f}..{:+.2f} pp)",
                   100 * sum.savings_min, 100 * sum.savings_max, sum.change_min, sum.change_max);
  }
  if (adaptive) {
    fmt::format_to(Out(buf), "; {:.{}f} tasks stopped early, {:.{}f} model fits", sum.stopped_early,
                   count_decimals, sum.fits, count_decimals);
    if (f.gate > 0) {
      fmt::format_to(Out(buf), ", {:.{}f} arrivals gated", sum.gated, count_decimals);
    }
  }
  buf.push_back('\n');
}

void AppendReplayJson(std::string& buf, const QualityCommands::Flags& f,
                      const quality::ReplayOptions& options, const ReplayOutcome& o) {
  const quality::ReplayRun& baseline = o.reports.front().baseline;
  const ReplaySummary& sum = o.sum;
  const double tasks = static_cast<double>(o.tasks);
  fmt::format_to(Out(buf),
                 "{{\"answers\":{},\"tasks\":{},\"truth_tasks\":{},\"method\":\"{}\",\"seed\":{},"
                 "\"repeat\":{},\"baseline\":{{\"policy\":\"full\",\"judgments\":{},"
                 "\"judgments_per_task\":",
                 o.reports.front().answers, o.tasks, baseline.truth_tasks,
                 quality::MethodName(options.method), f.seed, f.repeat, baseline.judgments);
  JsonNumber(buf, static_cast<double>(baseline.judgments) / tasks);
  buf.append(",\"accuracy\":");
  JsonNumber(buf, baseline.accuracy);
  fmt::format_to(Out(buf), "}},\"run\":{{\"policy\":\"{}\",\"threshold\":",
                 quality::PolicyName(options.policy));
  JsonNumber(buf, f.threshold);
  fmt::format_to(Out(buf), ",\"min\":{},\"max\":{},\"change\":", f.min_judgments, f.max_judgments);
  JsonNumber(buf, f.change);
  buf.append(",\"gate\":");
  JsonNumber(buf, f.gate);
  fmt::format_to(Out(buf), ",\"gate_min\":{},\"judgments\":", f.gate_min);
  JsonNumber(buf, sum.judgments);
  buf.append(",\"judgments_per_task\":");
  JsonNumber(buf, sum.judgments / tasks);
  buf.append(",\"accuracy\":");
  JsonNumber(buf, sum.accuracy);
  buf.append(",\"stopped_early\":");
  JsonNumber(buf, sum.stopped_early);
  buf.append(",\"gated\":");
  JsonNumber(buf, sum.gated);
  buf.append(",\"fits\":");
  JsonNumber(buf, sum.fits);
  buf.append("},\"savings\":");
  JsonNumber(buf, sum.savings);
  buf.append(",\"accuracy_change_pp\":");
  JsonNumber(buf, sum.change_pp);
  buf.append(",\"per_seed\":[");
  for (std::size_t i = 0; i < o.reports.size(); ++i) {
    const quality::ReplayReport& r = o.reports[i];
    fmt::format_to(Out(buf), "{}{{\"seed\":{},\"judgments\":{},\"accuracy\":", i ? "," : "",
                   f.seed + i, r.run.judgments);
    JsonNumber(buf, r.run.accuracy);
    buf.append(",\"savings\":");
    JsonNumber(buf, r.savings);
    buf.push_back('}');
  }
  buf.append("]}\n");
}

int Replay(const QualityCommands::Flags& f) {
  auto format = ParseFormat(f.format);
  if (!format) return UsageError(format.error());
  auto options = ReplayOptionsOf(f);
  if (!options) return UsageError(options.error());
  auto set = ReadAndParse(f.in, quality::ParseAnswers);
  if (!set) return DataError(InName(f.in), set.error());
  auto truth = ReadTruth(f.truth, *set);
  if (!truth) return DataError(f.truth, truth.error());
  std::vector<quality::ReplayReport> reports;
  for (std::size_t i = 0; i < f.repeat; ++i) {
    options->seed = f.seed + i;
    auto report = quality::Replay(*set, *truth, *options);
    if (!report) return DataError("", report.error());
    reports.push_back(std::move(*report));
  }
  const ReplayOutcome outcome{reports, Summarise(reports), set->num_tasks()};
  std::string buf;
  if (*format == Format::kText) {
    AppendReplayText(buf, f, *options, outcome);
  } else {
    AppendReplayJson(buf, f, *options, outcome);
  }
  if (auto st = WriteWholeFile(f.out, buf); !st) return DataError(OutName(f.out), st.error());
  return 0;
}

void AddInferenceFlags(CLI::App* cmd, QualityCommands::Flags& f) {
  cmd->add_option_function<int>(
      "--max-iterations", [&f](const int& v) { f.max_iterations = v; },
      "EM / MM iteration limit (default: the method's)");
  cmd->add_option_function<double>(
      "--tolerance", [&f](const double& v) { f.tolerance = v; },
      "stop when the largest posterior change is below this");
  cmd->add_option_function<double>(
      "--prior", [&f](const double& v) { f.prior = v; },
      "Dirichlet pseudo-counts (ds, ods, and the ds start of glad); prior strength (bt)");
  cmd->add_option("--glad-start", f.glad_start,
                  "glad: start EM from the ds posteriors (ds, default) or an equal-weight vote");
  cmd->add_option("--seed", f.seed,
                  "seed for randomised steps and the replay's arrival order (default 0)");
}

}  // namespace

QualityCommands::QualityCommands(CLI::App& cli, int& exit_code)
    : flags_(std::make_unique<Flags>()) {
  Flags& f = *flags_;

  auto* aggregate = cli.add_subcommand(
      "aggregate", "infer each task's label from crowd answers (worker,task,label CSV or JSONL)");
  aggregate->add_option("--method", f.method,
                        "mv, wawa, ds, ods, glad, or bt (pairwise; default ds)");
  aggregate
      ->add_option("--in", f.in,
                   "answers: CSV with header worker,task,label, or JSONL; - for stdin")
      ->required();
  aggregate->add_option("--truth", f.truth, "truth CSV (task,label): report accuracy");
  aggregate->add_option("--out", f.out, "results file, - for standard output (default)");
  aggregate->add_option("--format", f.format, "text (CSV task,label,confidence) or json");
  aggregate->add_option("--task-out", f.task_out,
                        "bt: per-task preference CSV (task,preferred,confidence)");
  AddInferenceFlags(aggregate, f);
  aggregate->callback([&f, &exit_code] { exit_code = Aggregate(f); });

  auto* agreement = cli.add_subcommand("agreement", "inter-annotator agreement of crowd answers");
  agreement
      ->add_option("--metric", f.metric,
                   "alpha-nominal, alpha-ordinal, alpha-interval, alpha-ratio, fleiss or cohen")
      ->required();
  agreement
      ->add_option("--in", f.in,
                   "answers: CSV with header worker,task,label, or JSONL; - for stdin")
      ->required();
  agreement->add_option("--format", f.format, "text or json");
  agreement->add_option("--out", f.out, "output file, - for standard output (default)");
  agreement->add_option("--raters", f.raters,
                        "fleiss: answers per task to use (default: the most common)");
  agreement->add_option("--min-overlap", f.min_overlap,
                        "cohen: common tasks a worker pair needs (default 1)");
  agreement->callback([&f, &exit_code] { exit_code = Agreement(f); });

  auto* replay = cli.add_subcommand("replay",
                                    "replay answers in random arrival order under a redundancy "
                                    "policy; compare with full redundancy");
  replay->add_option("--in", f.in, "answers: CSV with header worker,task,label, or JSONL")
      ->required();
  replay->add_option("--truth", f.truth, "truth CSV (task,label)")->required();
  replay->add_option("--policy", f.policy, "adaptive (default) or fixed");
  replay->add_option("--threshold", f.threshold,
                     "adaptive: stop at this posterior of the leading label (default 0.995)");
  replay->add_option("--min", f.min_judgments,
                     "adaptive: judgments before the posterior may stop a task (default 2)");
  replay->add_option("--max", f.max_judgments, "judgments per task at most (default 0: no cap)");
  replay->add_option("--change", f.change,
                     "adaptive: also stop when the remaining judgments change the leading label "
                     "with probability below this (default 0: off)");
  replay->add_option("--gate", f.gate,
                     "adaptive: stop asking workers whose answers carry less than this share of "
                     "the information of a perfect one (default 0: off)");
  replay->add_option("--gate-min", f.gate_min,
                     "adaptive: judgments a worker gives before the gate applies (default 20)");
  replay->add_option("--method", f.method,
                     "final aggregation: mv, wawa, ds, ods or glad (default ds)");
  replay->add_option("--refit-growth", f.refit_growth,
                     "refit the model when accepted judgments grew by this fraction (default 0.1)");
  replay->add_option("--model-iterations", f.model_iterations,
                     "EM iterations of the stopping model (default 1; 0: --max-iterations)");
  replay->add_option("--repeat", f.repeat,
                     "replay N arrival orders (seeds S..S+N-1) and report means (default 1)");
  replay->add_option("--format", f.format, "text or json");
  replay->add_option("--out", f.out, "output file, - for standard output (default)");
  AddInferenceFlags(replay, f);
  replay->callback([&f, &exit_code] { exit_code = Replay(f); });
}

QualityCommands::~QualityCommands() = default;

}  // namespace fw::cli
