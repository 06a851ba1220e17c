// fw_quality_gen: writes a seeded Dawid–Skene-style synthetic answer set for truth inference,
// or times the quality library on one.
//
//   fw_quality_gen --out-dir DIR [--tasks 200000] [--answers-per-task 5] [--workers 2000]
//                  [--classes 4] [--seed 1] [--shuffle]
//   fw_quality_gen --time DIR [--methods mv,wawa,ds,ods,glad]
//
// Writing: DIR/answers.csv (header worker,task,label) and DIR/truth.csv (header task,label).
// True labels follow a skewed class prior (p_c proportional to 0.7^c). Workers are 60% good
// (accuracy 0.80-0.95), 30% mediocre (0.50-0.75) and 10% spammers (half answer uniformly at
// random, half always give one label); a non-spammer's errors follow its own random
// confusion row per true class, so the data is Dawid–Skene-shaped rather than one-coin. Each
// task gets answers from distinct workers, drawn with a mild activity skew (some workers
// answer far more than others). Rows are grouped by task, as an export from a task queue is;
// --shuffle writes them in random order instead (the worst case for the parser's cache).
// Everything, including the output bytes, is a function of the arguments (only IEEE-exact
// arithmetic and sqrt are used on random numbers).
//
// Timing: reads DIR/answers.csv and DIR/truth.csv, then prints wall time of the parse and of
// each method, iterations and accuracy. Single-threaded, like the library.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "quality/answers.h"
#include "quality/categorical.h"

namespace fw::bench {
namespace {

// splitmix64: tiny, seedable and the same on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::uint32_t Below(std::uint32_t n) {
    return static_cast<std::uint32_t>(Uniform() * static_cast<double>(n));
  }

 private:
  std::uint64_t state_;
};

// Index drawn from a discrete distribution given by its cumulative weights (last = 1).
std::uint32_t Draw(const std::vector<double>& cumulative, double u) {
  std::uint32_t i = 0;
  while (i + 1 < cumulative.size() && u >= cumulative[i]) ++i;
  return i;
}

struct GenArgs {
  std::string out_dir;
  std::uint32_t tasks = 200000;
  std::uint32_t answers_per_task = 5;
  std::uint32_t workers = 2000;
  std::uint32_t classes = 4;
  std::uint64_t seed = 1;
  bool shuffle = false;
};

int Generate(const GenArgs& g) {
  if (g.classes < 2 || g.workers < g.answers_per_task || g.tasks == 0 || g.answers_per_task == 0) {
    std::fprintf(stderr,
                 "need --classes >= 2, --workers >= --answers-per-task >= 1, --tasks >= 1\n");
    return 2;
  }
  Rng rng(g.seed);
  const std::uint32_t k = g.classes;
  std::vector<double> prior(k);
  double total = 0;
  double weight = 1.0;  // 0.7^c by multiplication: exact the same everywhere, unlike pow()
  for (std::uint32_t c = 0; c < k; ++c, weight *= 0.7) total += prior[c] = weight;
  std::vector<double> prior_cdf(k);
  double run = 0;
  for (std::uint32_t c = 0; c < k; ++c) prior_cdf[c] = (run += prior[c] / total);

  // Per worker and true class: the cumulative distribution of the given label.
  std::vector<double> confusion_cdf(static_cast<std::size_t>(g.workers) * k * k);
  for (std::uint32_t w = 0; w < g.workers; ++w) {
    const double kind = rng.Uniform();
    double* m = &confusion_cdf[static_cast<std::size_t>(w) * k * k];
    if (kind < 0.10) {
      const bool constant = kind < 0.05;
      const std::uint32_t favourite = rng.Below(k);
      for (std::uint32_t truth = 0; truth < k; ++truth) {
        for (std::uint32_t given = 0; given < k; ++given) {
          const double p = constant ? (given == favourite ? 1.0 : 0.0) : 1.0 / k;
          m[truth * k + given] = p + (given > 0 ? m[truth * k + given - 1] : 0.0);
        }
      }
      continue;
    }
    const double accuracy = kind < 0.40 ? 0.50 + 0.25 * rng.Uniform() : 0.80 + 0.15 * rng.Uniform();
    for (std::uint32_t truth = 0; truth < k; ++truth) {
      std::vector<double> error(k, 0.0);
      double error_total = 0;
      for (std::uint32_t given = 0; given < k; ++given) {
        if (given != truth) error_total += error[given] = 0.05 + rng.Uniform();
      }
      double cum = 0;
      for (std::uint32_t given = 0; given < k; ++given) {
        cum += given == truth ? accuracy : (1 - accuracy) * error[given] / error_total;
        m[truth * k + given] = cum;
      }
      m[truth * k + k - 1] = 1.0;
    }
  }

  std::vector<std::uint32_t> truth(g.tasks);
  struct Row {
    std::uint32_t worker, task, label;
  };
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(g.tasks) * g.answers_per_task);
  std::vector<std::uint32_t> chosen;
  for (std::uint32_t t = 0; t < g.tasks; ++t) {
    truth[t] = Draw(prior_cdf, rng.Uniform());
    chosen.clear();
    while (chosen.size() < g.answers_per_task) {
      // Activity skew: u^1.5 favours low worker indices (default sizes: the busiest worker
      // gives ~6,100 answers, the median one ~420, the least ~300).
      const double pick = rng.Uniform();
      const auto w = static_cast<std::uint32_t>(pick * std::sqrt(pick) * g.workers);
      bool seen = false;
      for (std::uint32_t c : chosen) seen = seen || c == w;
      if (seen) continue;
      chosen.push_back(w);
      const double* m = &confusion_cdf[(static_cast<std::size_t>(w) * k + truth[t]) * k];
      std::uint32_t given = 0;
      const double u = rng.Uniform();
      while (given + 1 < k && u >= m[given]) ++given;
      rows.push_back({w, t, given});
    }
  }
  if (g.shuffle) {
    for (std::size_t i = rows.size(); i > 1; --i) {
      std::swap(rows[i - 1], rows[rng.Below(static_cast<std::uint32_t>(i))]);
    }
  }

  std::filesystem::create_directories(g.out_dir);
  std::string out = "worker,task,label\n";
  out.reserve(rows.size() * 20);
  char line[64];
  for (const Row& r : rows) {
    const int n = std::snprintf(line, sizeof line, "w%05u,t%07u,%u\n", r.worker, r.task, r.label);
    out.append(line, static_cast<std::size_t>(n));
  }
  std::ofstream(g.out_dir + "/answers.csv", std::ios::binary) << out;
  out = "task,label\n";
  for (std::uint32_t t = 0; t < g.tasks; ++t) {
    const int n = std::snprintf(line, sizeof line, "t%07u,%u\n", t, truth[t]);
    out.append(line, static_cast<std::size_t>(n));
  }
  std::ofstream(g.out_dir + "/truth.csv", std::ios::binary) << out;
  std::fprintf(stderr, "wrote %zu answers, %u tasks, %u workers, %u classes to %s\n", rows.size(),
               g.tasks, g.workers, k, g.out_dir.c_str());
  return 0;
}

// Wall and CPU seconds: on a shared machine the CPU time is the steadier figure.
struct Stopwatch {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  std::clock_t cpu = std::clock();
  double WallSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  }
  double CpuSeconds() const { return static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC; }
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int Time(const std::string& dir, const std::string& methods) {
  const std::string text = ReadFile(dir + "/answers.csv");
  Stopwatch parse_watch;
  auto set = quality::ParseAnswers(text);
  const double parse_s = parse_watch.WallSeconds();
  const double parse_cpu = parse_watch.CpuSeconds();
  if (!set) {
    std::fprintf(stderr, "%s\n", set.error().message.c_str());
    return 1;
  }
  std::printf(
      "parse  wall %.3f s  cpu %.3f s  (%zu answers, %zu tasks, %zu workers, %zu labels, "
      "%.1f MB)\n",
      parse_s, parse_cpu, set->answers.size(), set->num_tasks(), set->num_workers(),
      set->num_labels(), static_cast<double>(text.size()) / 1e6);
  auto truth = quality::ParseTruth(ReadFile(dir + "/truth.csv"), *set);
  if (!truth) {
    std::fprintf(stderr, "%s\n", truth.error().message.c_str());
    return 1;
  }
  std::stringstream list(methods);
  std::string name;
  while (std::getline(list, name, ',')) {
    auto method = quality::ParseMethod(name);
    if (!method) {
      std::fprintf(stderr, "%s\n", method.error().message.c_str());
      return 2;
    }
    Stopwatch watch;
    auto r = quality::Infer(*set, *method);
    const double s = watch.WallSeconds();
    const double cpu = watch.CpuSeconds();
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().message.c_str());
      return 1;
    }
    std::printf("%-5s  wall %.3f s  cpu %.3f s  iterations %3d%s  accuracy %.4f\n", name.c_str(), s,
                cpu, r->iterations, r->converged ? "" : " (cap)",
                quality::Accuracy(r->label, *truth));
  }
  return 0;
}

}  // namespace
}  // namespace fw::bench

int main(int argc, char** argv) {
  fw::bench::GenArgs g;
  std::string time_dir;
  std::string methods = "mv,wawa,ds,ods,glad";
  CLI::App cli{"fw_quality_gen: write a synthetic truth-inference answer set, or time one"};
  cli.add_option("--out-dir", g.out_dir, "directory for answers.csv and truth.csv");
  cli.add_option("--tasks", g.tasks, "tasks (default 200000)");
  cli.add_option("--answers-per-task", g.answers_per_task, "answers per task (default 5)");
  cli.add_option("--workers", g.workers, "workers (default 2000)");
  cli.add_option("--classes", g.classes, "classes (default 4)");
  cli.add_option("--seed", g.seed, "seed (default 1)");
  cli.add_flag("--shuffle", g.shuffle, "write rows in random order instead of grouped by task");
  cli.add_option("--time", time_dir, "time parsing and the methods on DIR/answers.csv");
  cli.add_option("--methods", methods, "methods to time (default mv,wawa,ds,ods,glad)");
  CLI11_PARSE(cli, argc, argv);
  if (!time_dir.empty()) return fw::bench::Time(time_dir, methods);
  if (g.out_dir.empty()) {
    std::fprintf(stderr, "give --out-dir DIR (write) or --time DIR (measure)\n");
    return 2;
  }
  return fw::bench::Generate(g);
}
