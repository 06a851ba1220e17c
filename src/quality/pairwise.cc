#include "quality/pairwise.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "base/json.h"

namespace fw::quality {
namespace {

// ---------------------------------------------------------------------------------------------
// Parsing

tl::unexpected<Error> LineError(std::size_t line, std::string_view code, std::string what) {
  std::string field = fmt::format("line {}", line);
  return InvalidArgument(fmt::format("{}: {}", field, what), {{field, std::string(code), what}});
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (IsBlank(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (IsBlank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<Outcome> ParseOutcome(std::string_view label) {
  const std::string l = Lower(Trim(label));
  if (l == "left" || l == "a") return Outcome::kA;
  if (l == "right" || l == "b") return Outcome::kB;
  if (l == "tie") return Outcome::kTie;
  return std::nullopt;
}

// Interns names to indices in order of first appearance.
class Interner {
 public:
  explicit Interner(std::vector<std::string>& names) : names_(names) {}
  std::uint32_t Intern(std::string_view name) {
    auto it = index_.find(name);
    if (it != index_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(name);
    index_.emplace(std::string(name), id);
    return id;
  }

 private:
  std::vector<std::string>& names_;  // owned by the ComparisonSet being built
  std::map<std::string, std::uint32_t, std::less<>> index_;
};

// The five columns of one row, as text.
struct Row {
  std::string_view worker, task, left, right, label;
};

class ComparisonBuilder {
 public:
  ComparisonBuilder() : tasks_(set_.tasks), workers_(set_.workers), responses_(set_.responses) {}
  // The interners refer into set_, so the builder stays where it was made.
  ComparisonBuilder(const ComparisonBuilder&) = delete;
  ComparisonBuilder& operator=(const ComparisonBuilder&) = delete;

  Status Add(std::size_t line, const Row& row) {
    static constexpr std::array<std::string_view, 5> kNames = {"worker", "task", "left", "right",
                                                               "label"};
    const std::array<std::string_view, 5> values = {row.worker, row.task, row.left, row.right,
                                                    row.label};
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i].empty())
        return LineError(line, "required", fmt::format("{} is empty", kNames[i]));
    }
    std::optional<Outcome> outcome = ParseOutcome(row.label);
    if (!outcome) return LineError(line, "bad_label", "label must be left, right or tie");
    if (row.left == row.right)
      return LineError(line, "same_response", "left and right must differ");
    Comparison c;
    c.worker = workers_.Intern(row.worker);
    c.task = tasks_.Intern(row.task);
    c.a = responses_.Intern(row.left);
    c.b = responses_.Intern(row.right);
    c.outcome = *outcome;
    set_.comparisons.push_back(c);
    return {};
  }

  ComparisonSet Finish() && { return std::move(set_); }

 private:
  ComparisonSet set_;
  Interner tasks_;
  Interner workers_;
  Interner responses_;
};

// Reads CSV records; a quoted field may contain commas, "" escapes and line breaks, so a record
// can span lines and is named by the line it starts on.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  // Reads the next record into `fields` and its first line into `line`. Returns false at the
  // end of the text.
  Result<bool> Next(std::vector<std::string>& fields, std::size_t& line) {
    fields.clear();
    if (pos_ >= text_.size()) return false;
    line = line_;
    while (true) {
      std::string field;
      while (pos_ < text_.size() && IsBlank(text_[pos_])) ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        ++pos_;
        while (true) {
          if (pos_ >= text_.size()) {
            return LineError(line, "unterminated_quote", "quoted field is not closed");
          }
          const char c = text_[pos_++];
          if (c == '"') {
            if (pos_ < text_.size() && text_[pos_] == '"') {
              field.push_back('"');
              ++pos_;
              continue;
            }
            break;
          }
          if (c == '\n') ++line_;
          field.push_back(c);
        }
        while (pos_ < text_.size() && (IsBlank(text_[pos_]) || text_[pos_] == '\r')) ++pos_;
        if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') {
          return LineError(line_, "bad_quote", "unexpected text after a closing quote");
        }
      } else {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') ++pos_;
        field = std::string(Trim(text_.substr(start, pos_ - start)));
      }
      fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return true;
      const char sep = text_[pos_++];
      if (sep == '\n') {
        ++line_;
        return true;
      }
    }
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

Result<ComparisonSet> ParseComparisonsCsv(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  std::size_t line = 0;
  // The header is the first non-blank record.
  while (true) {
    FW_TRY(bool more, reader.Next(fields, line));
    if (!more) return InvalidArgument("comparisons are empty", {{"text", "empty", "no header"}});
    if (!(fields.size() == 1 && fields[0].empty())) break;
  }
  static constexpr std::array<std::string_view, 5> kColumns = {"worker", "task", "left", "right",
                                                               "label"};
  std::array<std::size_t, 5> column{};
  for (std::size_t k = 0; k < kColumns.size(); ++k) {
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const std::string& f) { return Lower(f) == kColumns[k]; });
    if (it == fields.end()) {
      return LineError(line, "missing_column",
                       fmt::format("header has no column \"{}\"", kColumns[k]));
    }
    column[k] = static_cast<std::size_t>(it - fields.begin());
  }
  const std::size_t needed = *std::max_element(column.begin(), column.end()) + 1;

  ComparisonBuilder builder;
  while (true) {
    FW_TRY(bool more, reader.Next(fields, line));
    if (!more) break;
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (fields.size() < needed) {
      return LineError(line, "too_few_fields",
                       fmt::format("{} fields, the header needs {}", fields.size(), needed));
    }
    FW_TRY_STATUS(builder.Add(line, {fields[column[0]], fields[column[1]], fields[column[2]],
                                     fields[column[3]], fields[column[4]]}));
  }
  return std::move(builder).Finish();
}

// A JSONL member as text: strings as they are, integers in decimal.
Result<std::string> JsonMember(const json::object& obj, std::string_view key, std::size_t line,
                               bool integer_allowed) {
  auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) {
    return LineError(line, "required", fmt::format("{} is required", key));
  }
  const json::value& v = it->value();
  if (v.is_string()) return std::string(v.as_string());
  if (integer_allowed) {
    if (v.is_int64()) return std::to_string(v.as_int64());
    if (v.is_uint64()) return std::to_string(v.as_uint64());
  }
  return LineError(
      line, "type",
      fmt::format("{} must be a string{}", key, integer_allowed ? " or an integer" : ""));
}

Result<ComparisonSet> ParseComparisonsJsonl(std::string_view text) {
  ComparisonBuilder builder;
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t eol = text.find('\n');
    std::string_view raw = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    raw = Trim(raw);
    if (raw.empty()) continue;
    boost::system::error_code ec;
    json::value v = json::parse(raw, ec);
    if (ec)
      return LineError(line, "invalid_json", fmt::format("not valid JSON ({})", ec.message()));
    if (!v.is_object()) return LineError(line, "type", "must be a JSON object");
    const json::object& obj = v.as_object();
    FW_TRY(std::string worker, JsonMember(obj, "worker", line, true));
    FW_TRY(std::string task, JsonMember(obj, "task", line, true));
    FW_TRY(std::string left, JsonMember(obj, "left", line, true));
    FW_TRY(std::string right, JsonMember(obj, "right", line, true));
    FW_TRY(std::string label, JsonMember(obj, "label", line, false));
    FW_TRY_STATUS(builder.Add(line, {worker, task, left, right, label}));
  }
  return std::move(builder).Finish();
}

// ---------------------------------------------------------------------------------------------
// Bradley–Terry

tl::unexpected<Error> OptionError(std::string_view field, std::string message) {
  return InvalidArgument(fmt::format("{} {}", field, message),
                         {{std::string(field), "out_of_range", message}});
}

// The standard normal quantile by bisection on erfc: slow-ish but exact to the last bits and
// free of approximation tables; it runs once per call.
double NormalQuantile(double p) {
  double lo = -40;
  double hi = 40;
  for (int i = 0; i < 200 && lo < hi; ++i) {
    const double mid = (lo + hi) / 2;
    if (mid == lo || mid == hi) break;
    if (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return (lo + hi) / 2;
}

// Inverts the symmetric positive definite k x k matrix `m` (row-major) by Cholesky.
// The prior adds a positive diagonal to the information matrix, so a pivot <= 0 is a bug.
std::vector<double> InvertSpd(std::vector<double> m, std::size_t k) {
  // In place: lower triangle becomes L with m = L L^T.
  for (std::size_t j = 0; j < k; ++j) {
    double d = m[j * k + j];
    for (std::size_t p = 0; p < j; ++p) d -= m[j * k + p] * m[j * k + p];
    FW_CHECK(d > 0);
    const double l = std::sqrt(d);
    m[j * k + j] = l;
    for (std::size_t i = j + 1; i < k; ++i) {
      double s = m[i * k + j];
      for (std::size_t p = 0; p < j; ++p) s -= m[i * k + p] * m[j * k + p];
      m[i * k + j] = s / l;
    }
  }
  std::vector<double> inv(k * k, 0);
  std::vector<double> y(k);
  for (std::size_t col = 0; col < k; ++col) {
    for (std::size_t i = 0; i < k; ++i) {  // L y = e_col
      double s = i == col ? 1.0 : 0.0;
      for (std::size_t p = 0; p < i; ++p) s -= m[i * k + p] * y[p];
      y[i] = s / m[i * k + i];
    }
    for (std::size_t i = k; i-- > 0;) {  // L^T x = y
      double s = y[i];
      for (std::size_t p = i + 1; p < k; ++p) s -= m[p * k + i] * inv[p * k + col];
      inv[i * k + col] = s / m[i * k + i];
    }
  }
  return inv;
}

// The shift c that maximises the prior's term for one group, sum_i [s/2 (t_i + c) -
// s log(1 + e^(t_i + c))]: the root of sum_i sigmoid(t_i + c) = k/2, i.e. the virtual
// response wins exactly half of its expected games against the group. Safeguarded Newton.
double GroupShift(const std::vector<double>& t) {
  const double half = static_cast<double>(t.size()) / 2;
  double lo = -*std::max_element(t.begin(), t.end()) - 40;  // every sigmoid < 1/2 there
  double hi = -*std::min_element(t.begin(), t.end()) + 40;  // every sigmoid > 1/2 there
  double c = std::clamp(0.0, lo, hi);
  for (int i = 0; i < 100; ++i) {
    double g = -half;
    double slope = 0;
    for (double x : t) {
      const double p = 1 / (1 + std::exp(-(x + c)));
      g += p;
      slope += p * (1 - p);
    }
    if (g == 0) return c;
    (g < 0 ? lo : hi) = c;
    double step = slope > 0 ? -g / slope : 0;
    double next = c + step;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (std::abs(next - c) <= 1e-15 * (1 + std::abs(c))) return next;
    c = next;
  }
  return c;
}

// What a comparison with `outcome` counts as for the response on `side` (kA or kB): a win (1),
// a loss (0), or half a win for a tie.
double WinShare(Outcome outcome, Outcome side) {
  if (outcome == Outcome::kTie) return 0.5;
  return outcome == side ? 1 : 0;
}

struct Edge {
  std::uint32_t other = 0;
  double count = 0;  // comparisons between the two responses
};

Status CheckBradleyTerryOptions(const BradleyTerryOptions& options) {
  if (options.max_iterations < 1) return OptionError("max_iterations", "must be at least 1");
  if (!(options.tolerance > 0)) return OptionError("tolerance", "must be positive");
  if (!(options.confidence_level > 0 && options.confidence_level < 1)) {
    return OptionError("confidence_level", "must be between 0 and 1");
  }
  if (!(options.prior_strength > 0 && std::isfinite(options.prior_strength))) {
    return OptionError("prior_strength", "must be positive and finite");
  }
  return {};
}

Status CheckComparisons(const ComparisonSet& set) {
  if (set.comparisons.empty()) {
    return InvalidArgument("there are no comparisons",
                           {{"comparisons", "empty", "at least one comparison is needed"}});
  }
  const std::size_t n = set.responses.size();
  for (std::size_t i = 0; i < set.comparisons.size(); ++i) {
    const Comparison& c = set.comparisons[i];
    if (c.a >= n || c.b >= n || c.task >= set.tasks.size() || c.worker >= set.workers.size()) {
      const std::string field = fmt::format("comparisons[{}]", i);
      return InvalidArgument(fmt::format("{}: index out of range", field),
                             {{field, "out_of_range", "index out of range"}});
    }
    if (c.a == c.b) {
      const std::string field = fmt::format("comparisons[{}]", i);
      return InvalidArgument(fmt::format("{}: a response is compared with itself", field),
                             {{field, "same_response", "a and b must differ"}});
    }
  }
  return {};
}

// The comparisons as a graph over responses: each response's wins (ties count half) and its
// edges, one per opponent with the number of comparisons between the two. Edges are added in
// order of the (lower, higher) response pair, which fixes the order of every later sum.
struct ComparisonGraph {
  std::vector<double> wins;
  std::vector<std::vector<Edge>> edges;
};

ComparisonGraph BuildGraph(const ComparisonSet& set, std::vector<std::size_t>& comparisons) {
  const std::size_t n = set.responses.size();
  ComparisonGraph g;
  comparisons.assign(n, 0);
  g.wins.assign(n, 0);
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> pair_count;
  for (const Comparison& c : set.comparisons) {
    ++comparisons[c.a];
    ++comparisons[c.b];
    g.wins[c.a] += WinShare(c.outcome, Outcome::kA);
    g.wins[c.b] += WinShare(c.outcome, Outcome::kB);
    pair_count[{std::min(c.a, c.b), std::max(c.a, c.b)}] += 1;
  }
  g.edges.resize(n);
  for (const auto& [pair, count] : pair_count) {
    g.edges[pair.first].push_back({pair.second, count});
    g.edges[pair.second].push_back({pair.first, count});
  }
  return g;
}

// Connected groups of responses, each sorted, in order of their lowest index.
std::vector<std::vector<std::uint32_t>> ConnectedGroups(
    const std::vector<std::vector<Edge>>& edges) {
  const std::size_t n = edges.size();
  std::vector<std::vector<std::uint32_t>> groups;
  std::vector<bool> seen(n, false);
  for (std::size_t start = 0; start < n; ++start) {
    if (seen[start]) continue;
    std::vector<std::uint32_t> members(1, static_cast<std::uint32_t>(start));
    seen[start] = true;
    for (std::size_t head = 0; head < members.size(); ++head) {
      for (const Edge& e : edges[members[head]]) {
        if (!seen[e.other]) {
          seen[e.other] = true;
          members.push_back(e.other);
        }
      }
    }
    std::sort(members.begin(), members.end());
    groups.push_back(std::move(members));
  }
  return groups;
}

// Maximises the posterior over theta = log gamma and returns theta; sets `result.iterations`
// and `result.converged`.
//
// MM (Hunter 2004): gamma_i <- W_i / sum_j n_ij / (gamma_i + gamma_j), with the prior's
// pseudo-comparisons against the fixed virtual response (strength 1) in both sums. The
// virtual response pins the scale. Only the weak prior pins it, though, so plain MM creeps
// along that direction for thousands of steps; after each MM step every group is therefore
// shifted to its exact optimum along its common shift (the real comparisons do not see a
// shift), which keeps the ascent monotone and makes it converge in tens of steps.
std::vector<double> FitLogStrengths(const ComparisonGraph& g,
                                    const std::vector<std::vector<std::uint32_t>>& groups,
                                    const BradleyTerryOptions& options,
                                    BradleyTerryResult& result) {
  const std::size_t n = g.wins.size();
  const double prior = options.prior_strength;
  std::vector<double> theta(n, 0.0);
  std::vector<double> gamma(n);
  std::vector<double> next(n);
  std::vector<double> group_theta;
  result.converged = false;
  for (int it = 1; it <= options.max_iterations; ++it) {
    for (std::size_t i = 0; i < n; ++i) gamma[i] = std::exp(theta[i]);
    for (std::size_t i = 0; i < n; ++i) {
      double denom = prior / (gamma[i] + 1.0);
      for (const Edge& e : g.edges[i]) denom += e.count / (gamma[i] + gamma[e.other]);
      next[i] = std::log((g.wins[i] + prior / 2) / denom);
    }
    for (const auto& members : groups) {
      group_theta.clear();
      for (std::uint32_t i : members) group_theta.push_back(next[i]);
      const double shift = GroupShift(group_theta);
      for (std::uint32_t i : members) next[i] += shift;
    }
    double change = 0;
    for (std::size_t i = 0; i < n; ++i) change = std::max(change, std::abs(next[i] - theta[i]));
    theta.swap(next);
    result.iterations = it;
    if (change <= options.tolerance) {
      result.converged = true;
      break;
    }
  }
  return theta;
}

// Sets `result.ci_low` and `result.ci_high` around the centred scores.
//
// Observed information of theta = log gamma. With the virtual response fixed it is
// block-diagonal over connected groups of responses, so each group is inverted on its own.
// The variance of a centred score c_i = e_i - 1/n is
//   Cov_ii - 2/n * sum_j Cov_ij + 1/n^2 * sum_jk Cov_jk,
// where cross-group covariances are zero.
void ConfidenceIntervals(const ComparisonGraph& g,
                         const std::vector<std::vector<std::uint32_t>>& groups,
                         const std::vector<double>& gamma, const BradleyTerryOptions& options,
                         BradleyTerryResult& result) {
  const std::size_t n = gamma.size();
  const double prior = options.prior_strength;
  std::vector<double> cov_diag(n);
  std::vector<double> cov_row_sum(n);
  double cov_total = 0;
  std::vector<std::size_t> local(n);
  for (const auto& members : groups) {
    const std::size_t k = members.size();
    for (std::size_t m = 0; m < k; ++m) local[members[m]] = m;
    std::vector<double> info(k * k, 0);
    for (std::size_t m = 0; m < k; ++m) {
      const std::uint32_t i = members[m];
      const double p0 = gamma[i] / (gamma[i] + 1.0);
      info[m * k + m] += prior * p0 * (1 - p0);
      for (const Edge& e : g.edges[i]) {
        const double p = gamma[i] / (gamma[i] + gamma[e.other]);
        const double w = e.count * p * (1 - p);
        info[m * k + m] += w;
        info[m * k + local[e.other]] -= w;
      }
    }
    const std::vector<double> cov = InvertSpd(std::move(info), k);
    for (std::size_t m = 0; m < k; ++m) {
      double row = 0;
      for (std::size_t q = 0; q < k; ++q) row += cov[m * k + q];
      cov_diag[members[m]] = cov[m * k + m];
      cov_row_sum[members[m]] = row;
      cov_total += row;
    }
  }
  const double z = NormalQuantile(0.5 + options.confidence_level / 2);
  const double dn = static_cast<double>(n);
  result.ci_low.resize(n);
  result.ci_high.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double var = cov_diag[i] - 2 * cov_row_sum[i] / dn + cov_total / (dn * dn);
    const double half = z * std::sqrt(std::max(var, 0.0));
    result.ci_low[i] = result.score[i] - half;
    result.ci_high[i] = result.score[i] + half;
  }
}

// Sets each task's winner from that task's own comparisons: the best win rate, ties broken by
// the global score, then by the lower response index.
void TaskWinners(const ComparisonSet& set, BradleyTerryResult& result) {
  std::vector<std::vector<std::uint32_t>> by_task(set.tasks.size());
  for (std::size_t i = 0; i < set.comparisons.size(); ++i) {
    by_task[set.comparisons[i].task].push_back(static_cast<std::uint32_t>(i));
  }
  result.task_winner.assign(set.tasks.size(), kNoWinner);
  result.task_confidence.assign(set.tasks.size(), 0);
  for (std::size_t t = 0; t < set.tasks.size(); ++t) {
    std::map<std::uint32_t, std::pair<double, double>> tally;  // response -> (wins, seen)
    for (std::uint32_t ci : by_task[t]) {
      const Comparison& c = set.comparisons[ci];
      auto& a = tally[c.a];
      auto& b = tally[c.b];
      a.second += 1;
      b.second += 1;
      a.first += WinShare(c.outcome, Outcome::kA);
      b.first += WinShare(c.outcome, Outcome::kB);
    }
    for (const auto& [response, ws] : tally) {  // ascending index: lower index wins full ties
      const double rate = ws.first / ws.second;
      const std::uint32_t best = result.task_winner[t];
      if (best == kNoWinner || rate > result.task_confidence[t] ||
          (rate == result.task_confidence[t] && result.score[response] > result.score[best])) {
        result.task_winner[t] = response;
        result.task_confidence[t] = rate;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Ratings

constexpr int kRatingRounds = 100;
constexpr double kRatingTolerance = 1e-12;
constexpr double kBiasPseudoRatings = 3;

}  // namespace

Result<ComparisonSet> ParseComparisons(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return InvalidArgument("comparisons are empty", {{"text", "empty", "no comparisons"}});
  }
  if (text[first] == '{') return ParseComparisonsJsonl(text);
  return ParseComparisonsCsv(text);
}

Result<BradleyTerryResult> BradleyTerry(const ComparisonSet& set,
                                        const BradleyTerryOptions& options) {
  FW_TRY_STATUS(CheckBradleyTerryOptions(options));
  FW_TRY_STATUS(CheckComparisons(set));
  const std::size_t n = set.responses.size();
  BradleyTerryResult result;
  const ComparisonGraph graph = BuildGraph(set, result.comparisons);
  const std::vector<std::vector<std::uint32_t>> groups = ConnectedGroups(graph.edges);
  const std::vector<double> theta = FitLogStrengths(graph, groups, options, result);
  std::vector<double> gamma(n);
  for (std::size_t i = 0; i < n; ++i) gamma[i] = std::exp(theta[i]);

  double mean_theta = 0;
  for (std::size_t i = 0; i < n; ++i) mean_theta += theta[i];
  mean_theta /= static_cast<double>(n);
  result.score.resize(n);
  for (std::size_t i = 0; i < n; ++i) result.score[i] = theta[i] - mean_theta;

  ConfidenceIntervals(graph, groups, gamma, options, result);
  TaskWinners(set, result);
  return result;
}

Result<RatingResult> AggregateRatings(std::size_t num_tasks, std::size_t num_workers,
                                      const std::vector<Rating>& ratings) {
  if (ratings.empty()) {
    return InvalidArgument("there are no ratings", {{"ratings", "empty", "no ratings"}});
  }
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const Rating& r = ratings[i];
    if (r.task >= num_tasks || r.worker >= num_workers) {
      const std::string field = fmt::format("ratings[{}]", i);
      return InvalidArgument(fmt::format("{}: task or worker index out of range", field),
                             {{field, "out_of_range", "index out of range"}});
    }
    if (!std::isfinite(r.value)) {
      const std::string field = fmt::format("ratings[{}]", i);
      return InvalidArgument(fmt::format("{}: value is not a finite number", field),
                             {{field, "not_finite", "value must be finite"}});
    }
  }
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  RatingResult result;
  result.mean.assign(num_tasks, kNaN);
  result.median.assign(num_tasks, kNaN);
  result.worker_bias.assign(num_workers, 0);

  std::vector<std::vector<double>> values(num_tasks);
  for (const Rating& r : ratings) values[r.task].push_back(r.value);
  for (std::size_t t = 0; t < num_tasks; ++t) {
    std::vector<double>& v = values[t];
    if (v.empty()) continue;
    double sum = 0;
    for (double x : v) sum += x;
    result.mean[t] = sum / static_cast<double>(v.size());
    std::sort(v.begin(), v.end());
    const std::size_t h = v.size() / 2;
    result.median[t] = v.size() % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
  }

  // Alternating least squares for value = task + bias; each half-step is the exact minimiser
  // given the other, so the squared error never grows.
  std::vector<double>& task = result.corrected_mean;
  std::vector<double>& bias = result.worker_bias;
  task = result.mean;
  std::vector<double> sum_w(num_workers);
  std::vector<double> n_w(num_workers);
  std::vector<double> sum_t(num_tasks);
  std::vector<double> n_t(num_tasks);
  std::vector<double> old_bias;
  for (int round = 0; round < kRatingRounds; ++round) {
    std::fill(sum_w.begin(), sum_w.end(), 0);
    std::fill(n_w.begin(), n_w.end(), 0);
    for (const Rating& r : ratings) {
      sum_w[r.worker] += r.value - task[r.task];
      n_w[r.worker] += 1;
    }
    double change = 0;
    double bias_sum = 0;
    double raters = 0;
    old_bias = bias;
    for (std::size_t w = 0; w < num_workers; ++w) {
      if (n_w[w] == 0) continue;
      // Ridge (a Gaussian prior at 0): kBiasPseudoRatings unbiased pseudo-ratings, so a worker
      // with two ratings cannot drag a task outside the range its raters gave.
      bias[w] = sum_w[w] / (n_w[w] + kBiasPseudoRatings);
      bias_sum += bias[w];
      raters += 1;
    }
    for (std::size_t w = 0; w < num_workers; ++w) {
      if (n_w[w] == 0) continue;
      bias[w] -= bias_sum / raters;
      change = std::max(change, std::abs(bias[w] - old_bias[w]));
    }
    std::fill(sum_t.begin(), sum_t.end(), 0);
    std::fill(n_t.begin(), n_t.end(), 0);
    for (const Rating& r : ratings) {
      sum_t[r.task] += r.value - bias[r.worker];
      n_t[r.task] += 1;
    }
    for (std::size_t t = 0; t < num_tasks; ++t) {
      if (n_t[t] == 0) continue;
      const double updated = sum_t[t] / n_t[t];
      change = std::max(change, std::abs(updated - task[t]));
      task[t] = updated;
    }
    if (change <= kRatingTolerance) break;
  }
  return result;
}

}  // namespace fw::quality
