#include "quality/agreement.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>

namespace fw::quality {
namespace {

// The values of each unit, in input order.
using Units = std::vector<std::vector<double>>;

tl::unexpected<Error> NoVariation(std::string message) {
  return Fail(ErrorCode::kUnprocessable, std::move(message), {}, "no_variation");
}

// Sum of squared deviations from the mean, two-pass so that large offsets (values around 1e9
// with small spread) do not cancel.
double SumSquaredDeviations(const std::vector<double>& v) {
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return ss;
}

double RatioDelta(double c, double k) {
  const double sum = c + k;
  // Values are non-negative (checked), so sum == 0 means both are 0.
  if (sum == 0) return 0;
  const double d = (c - k) / sum;
  return d * d;
}

// Alpha over units already reduced to numbers. Every level is written as
// alpha = 1 - (n-1) * observed / expected, where `observed` is the sum over units of the
// within-unit ordered-pair differences divided by (m_u - 1) and `expected` the sum of
// differences over all ordered pairs of pairable values — Krippendorff's D_o and D_e without
// their common normalisers. Nominal and interval use closed forms, so the cost is linear;
// ordinal is interval on mid-ranks (the ordinal metric's sum of marginals between c and k,
// less half of each end, is exactly the distance between their mid-ranks); ratio needs the
// pairs of distinct values.
Result<double> AlphaOfUnits(Units units, AlphaLevel level) {
  std::erase_if(units, [](const std::vector<double>& u) { return u.size() < 2; });
  if (units.empty()) {
    return InvalidArgument("alpha needs at least one unit with two values",
                           {{"values", "not_pairable", "no unit has two values"}});
  }
  if (level == AlphaLevel::kRatio) {
    for (const auto& unit : units) {
      for (double v : unit) {
        if (v < 0) {
          return InvalidArgument(fmt::format("ratio alpha needs non-negative values; got {}", v),
                                 {{"values", "out_of_range", "ratio values must be non-negative"}});
        }
      }
    }
  }

  // The distinct pairable values with their counts n_c.
  std::vector<double> all;
  for (const auto& unit : units) all.insert(all.end(), unit.begin(), unit.end());
  std::sort(all.begin(), all.end());
  std::vector<double> distinct;
  std::vector<double> count;
  for (double v : all) {
    if (distinct.empty() || distinct.back() != v) {
      distinct.push_back(v);
      count.push_back(0);
    }
    count.back() += 1;
  }
  if (distinct.size() < 2) {
    return NoVariation("all pairable values are equal; alpha is undefined");
  }
  const double n = static_cast<double>(all.size());
  auto index_of = [&](double v) {
    return static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), v) -
                                    distinct.begin());
  };

  double observed = 0;
  double expected = 0;
  switch (level) {
    case AlphaLevel::kNominal: {
      for (auto& unit : units) {
        std::sort(unit.begin(), unit.end());
        const double m = static_cast<double>(unit.size());
        double same = 0;  // ordered pairs of equal values, self-pairs included
        for (std::size_t i = 0; i < unit.size();) {
          std::size_t j = i;
          while (j < unit.size() && unit[j] == unit[i]) ++j;
          same += static_cast<double>((j - i) * (j - i));
          i = j;
        }
        observed += (m * m - same) / (m - 1);
      }
      double same = 0;
      for (double c : count) same += c * c;
      expected = n * n - same;
      break;
    }
    case AlphaLevel::kOrdinal:
    case AlphaLevel::kInterval: {
      if (level == AlphaLevel::kOrdinal) {
        std::vector<double> mid_rank(distinct.size());
        double below = 0;
        for (std::size_t g = 0; g < distinct.size(); ++g) {
          mid_rank[g] = below + count[g] / 2;
          below += count[g];
        }
        for (auto& unit : units) {
          for (double& v : unit) v = mid_rank[index_of(v)];
        }
        for (double& v : all) v = mid_rank[index_of(v)];
      }
      // Sum over ordered pairs of (a-b)^2 is 2 m * sum of squared deviations.
      for (const auto& unit : units) {
        const double m = static_cast<double>(unit.size());
        observed += 2 * m * SumSquaredDeviations(unit) / (m - 1);
      }
      expected = 2 * n * SumSquaredDeviations(all);
      break;
    }
    case AlphaLevel::kRatio: {
      for (const auto& unit : units) {
        double pairs = 0;
        for (std::size_t i = 0; i < unit.size(); ++i) {
          for (std::size_t j = i + 1; j < unit.size(); ++j) pairs += RatioDelta(unit[i], unit[j]);
        }
        observed += 2 * pairs / static_cast<double>(unit.size() - 1);
      }
      for (std::size_t c = 0; c < distinct.size(); ++c) {
        for (std::size_t k = c + 1; k < distinct.size(); ++k) {
          expected += 2 * count[c] * count[k] * RatioDelta(distinct[c], distinct[k]);
        }
      }
      break;
    }
  }
  // Two distinct values give a positive expected difference at every level, unless their
  // squared difference underflows (values a few ulps apart near 1e-200).
  if (!(expected > 0)) {
    return NoVariation("pairable values differ too little to compute alpha");
  }
  return 1 - (n - 1) * observed / expected;
}

// The numeric value of a label name; the whole name must be a finite number.
std::optional<double> LabelNumber(const std::string& name) {
  double v = 0;
  const char* end = name.data() + name.size();
  auto [ptr, ec] = std::from_chars(name.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

tl::unexpected<Error> OutOfRange(std::string field, std::string message) {
  return InvalidArgument(fmt::format("{}: {}", field, message), {{field, "out_of_range", message}});
}

}  // namespace

Result<double> KrippendorffAlpha(const ReliabilityData& data, AlphaLevel level) {
  if (data.values.size() != data.coders * data.units) {
    return InvalidArgument(
        fmt::format("reliability data has {} values; {} coders x {} units need {}",
                    data.values.size(), data.coders, data.units, data.coders * data.units),
        {{"values", "size_mismatch", "values.size() must be coders * units"}});
  }
  Units units(data.units);
  for (std::size_t c = 0; c < data.coders; ++c) {
    for (std::size_t u = 0; u < data.units; ++u) {
      const std::optional<double>& v = data.values[c * data.units + u];
      if (!v) continue;
      if (!std::isfinite(*v)) {
        return InvalidArgument(
            fmt::format("value of coder {} for unit {} is not a finite number", c, u),
            {{fmt::format("values[{}]", c * data.units + u), "not_finite",
              "values must be finite numbers"}});
      }
      units[u].push_back(*v);
    }
  }
  return AlphaOfUnits(std::move(units), level);
}

Result<double> KrippendorffAlpha(const AnswerSet& answers, AlphaLevel level) {
  std::vector<double> label_value(answers.num_labels());
  std::vector<bool> used(answers.num_labels(), false);
  for (const Answer& a : answers.answers) {
    FW_CHECK(a.task < answers.num_tasks() && a.label < answers.num_labels());
    used[a.label] = true;
  }
  for (std::size_t l = 0; l < answers.num_labels(); ++l) {
    if (level == AlphaLevel::kNominal || level == AlphaLevel::kOrdinal) {
      label_value[l] = static_cast<double>(l);
      continue;
    }
    // A declared label nobody used cannot affect alpha, so only used labels must be numbers.
    if (!used[l]) continue;
    std::optional<double> v = LabelNumber(answers.labels[l]);
    if (!v) {
      return InvalidArgument(
          fmt::format("label \"{}\" is not a number; interval and ratio alpha need numeric labels",
                      answers.labels[l]),
          {{"label", "not_a_number", answers.labels[l]}});
    }
    label_value[l] = *v;
  }
  Units units(answers.num_tasks());
  for (const Answer& a : answers.answers) units[a.task].push_back(label_value[a.label]);
  return AlphaOfUnits(std::move(units), level);
}

Result<FleissResult> FleissKappa(const AnswerSet& answers, std::size_t raters) {
  const std::size_t num_labels = answers.num_labels();
  std::vector<std::size_t> per_task(answers.num_tasks(), 0);
  for (const Answer& a : answers.answers) {
    FW_CHECK(a.task < answers.num_tasks() && a.label < num_labels);
    ++per_task[a.task];
  }
  if (raters == 0) {
    std::map<std::size_t, std::size_t> frequency;  // answer count -> tasks with that count
    for (std::size_t c : per_task) {
      if (c > 0) ++frequency[c];
    }
    std::size_t best = 0;
    for (const auto& [c, tasks] : frequency) {
      if (tasks >= best) {  // ascending counts: a tie goes to the larger count
        best = tasks;
        raters = c;
      }
    }
  }
  if (raters < 2) {
    return InvalidArgument(
        fmt::format("Fleiss' kappa needs at least two answers per task (raters = {})", raters),
        {{"raters", "out_of_range", "at least two raters per task are needed"}});
  }
  std::vector<std::size_t> row_of(answers.num_tasks(), 0);
  FleissResult result;
  result.raters = raters;
  for (std::size_t t = 0; t < per_task.size(); ++t) {
    if (per_task[t] == raters) {
      row_of[t] = result.tasks++;
    } else {
      ++result.skipped;
    }
  }
  if (result.tasks == 0) {
    return InvalidArgument(fmt::format("no task has exactly {} answers", raters),
                           {{"raters", "no_tasks", "no task has this number of answers"}});
  }
  std::vector<double> table(result.tasks * num_labels, 0);  // tasks x labels
  for (const Answer& a : answers.answers) {
    if (per_task[a.task] == raters) table[row_of[a.task] * num_labels + a.label] += 1;
  }
  const double n = static_cast<double>(raters);
  const double tasks = static_cast<double>(result.tasks);
  double agreement = 0;  // sum over tasks of P_i
  std::vector<double> label_total(num_labels, 0);
  for (std::size_t i = 0; i < result.tasks; ++i) {
    double squares = 0;
    for (std::size_t j = 0; j < num_labels; ++j) {
      const double nij = table[i * num_labels + j];
      squares += nij * nij;
      label_total[j] += nij;
    }
    agreement += (squares - n) / (n * (n - 1));
  }
  const double total = tasks * n;
  double chance = 0;
  std::size_t labels_used = 0;
  for (double c : label_total) {
    chance += (c / total) * (c / total);
    if (c > 0) ++labels_used;
  }
  if (labels_used < 2) {
    return NoVariation("every answer has the same label; Fleiss' kappa is undefined");
  }
  result.kappa = (agreement / tasks - chance) / (1 - chance);
  return result;
}

Result<double> CohenKappa(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b,
                          std::size_t num_labels) {
  if (a.size() != b.size()) {
    return InvalidArgument(
        fmt::format("label sequences differ in length ({} and {})", a.size(), b.size()),
        {{"b", "size_mismatch", "a and b must have the same length"}});
  }
  if (a.empty()) {
    return InvalidArgument("Cohen's kappa needs at least one pair of labels",
                           {{"a", "empty", "no labels"}});
  }
  std::vector<double> row(num_labels, 0);
  std::vector<double> col(num_labels, 0);
  double agree = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] >= num_labels) return OutOfRange(fmt::format("a[{}]", i), "label out of range");
    if (b[i] >= num_labels) return OutOfRange(fmt::format("b[{}]", i), "label out of range");
    row[a[i]] += 1;
    col[b[i]] += 1;
    if (a[i] == b[i]) agree += 1;
  }
  const double n = static_cast<double>(a.size());
  double chance = 0;  // n^2 * p_e, exact in doubles for any realistic n
  for (std::size_t k = 0; k < num_labels; ++k) {
    chance += row[k] * col[k];
    if (row[k] == n && col[k] == n) {
      return NoVariation("both raters gave one and the same label; Cohen's kappa is undefined");
    }
  }
  return (n * agree - chance) / (n * n - chance);
}

Result<CohenResult> CohenKappa(const AnswerSet& answers, std::size_t min_overlap) {
  min_overlap = std::max<std::size_t>(min_overlap, 1);
  // Each worker's first answer per task: stable sort by (task, worker) keeps input order
  // within a group, so the first of a group is the first given.
  std::vector<Answer> firsts = answers.answers;
  for (const Answer& a : firsts) {
    FW_CHECK(a.task < answers.num_tasks() && a.worker < answers.num_workers() &&
             a.label < answers.num_labels());
  }
  std::stable_sort(firsts.begin(), firsts.end(), [](const Answer& x, const Answer& y) {
    return std::pair(x.task, x.worker) < std::pair(y.task, y.worker);
  });
  firsts.erase(std::unique(firsts.begin(), firsts.end(),
                           [](const Answer& x, const Answer& y) {
                             return x.task == y.task && x.worker == y.worker;
                           }),
               firsts.end());

  // Parallel label sequences per worker pair (lower worker index first), in task order.
  using Sequences = std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>>;
  std::map<std::pair<std::uint32_t, std::uint32_t>, Sequences> pairs;
  for (std::size_t begin = 0; begin < firsts.size();) {
    std::size_t end = begin;
    while (end < firsts.size() && firsts[end].task == firsts[begin].task) ++end;
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t j = i + 1; j < end; ++j) {
        Sequences& s = pairs[{firsts[i].worker, firsts[j].worker}];
        s.first.push_back(firsts[i].label);
        s.second.push_back(firsts[j].label);
      }
    }
    begin = end;
  }

  CohenResult result;
  std::size_t eligible = 0;
  double sum = 0;
  for (const auto& [workers, seq] : pairs) {
    if (seq.first.size() < min_overlap) continue;
    ++eligible;
    Result<double> kappa = CohenKappa(seq.first, seq.second, answers.num_labels());
    if (!kappa) {
      // A pair without variation has no kappa; it is left out of the mean rather than
      // failing the whole set.
      FW_CHECK(kappa.error().reason == "no_variation");
      continue;
    }
    sum += *kappa;
    ++result.pairs;
    result.tasks += seq.first.size();
  }
  if (eligible == 0) {
    return InvalidArgument(fmt::format("no pair of workers shares at least {} tasks", min_overlap),
                           {{"min_overlap", "no_pairs", "no worker pair has enough common tasks"}});
  }
  if (result.pairs == 0) {
    return NoVariation(
        "every worker pair gave one and the same label throughout; Cohen's kappa is undefined");
  }
  result.kappa = sum / static_cast<double>(result.pairs);
  return result;
}

}  // namespace fw::quality
