// fw_bench_seed: builds a benchmark instance fast, or writes a JSONL file of items to import.
//
//   fw_bench_seed --data DIR --items 1000000 --experts 10000 --answers 3000000 --redundancy 5
//                 --tokens 64 --tokens-out FILE [--export-answers 1000000] [--info-out FILE]
//   fw_bench_seed --write-jsonl FILE --lines 1000000
//
// The lab, its owner, the experts, their physics qualifications, the projects and the API
// tokens are made through the App's services (with cheap password hashing), so they are
// exactly what the server would have made. The bulk rows (items, assignments, submissions)
// are inserted with prepared statements in large transactions on the App's own writer
// session, in the shape work.cc leaves them after a submit: assignments in state
// 'submitted', one submission per assignment, items.taken = items.submitted = answers of
// the item, items.is_open = taken < redundancy. The answer j of item i comes from expert
// (i * per_item + j) % experts, where per_item = answers / items.
//
// Prints the main project's id on standard output; progress and timings go to standard error.
// SQLite only (the embedded default): ids are given explicitly, which PostgreSQL's identity
// columns would not follow.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "projects/pool.h"

namespace fw::bench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ~200 bytes of physics or mathematics with LaTeX math, different for every index.
std::string ItemText(long long i) {
  const long long a = 1 + i % 97, b = 3 + (i / 97) % 89, c = 2 + (i / 8633) % 71;
  switch (i % 4) {
    case 0:
      return fmt::format(
          "Item {}: a particle of mass $m = {}.{}\\,\\mathrm{{kg}}$ sits in $V(x) = \\tfrac{{1}}{{2}} k x^2$ with "
          "$k = {}\\,\\mathrm{{N/m}}$. Claim: its period is $T = 2\\pi\\sqrt{{m/k}}$.",
          i, a, c, b);
    case 1:
      return fmt::format(
          "Item {}: for $n = {}$, $\\sum_{{j=1}}^{{n}} j^2 = \\frac{{n(n+1)(2n+1)}}{{6}}$. Claim: the value is "
          "${}$, and $\\int_0^{{{}}} x^2\\,dx = \\frac{{{}^3}}{{3}}$ holds.",
          i, a, a * (a + 1) * (2 * a + 1) / 6, c, c);
    case 2:
      return fmt::format(
          "Item {}: a photon with $\\lambda = {}\\,\\mathrm{{nm}}$ has energy $E = \\frac{{hc}}{{\\lambda}}$. "
          "Claim: $E \\approx {:.3f}\\,\\mathrm{{eV}}$ since $hc \\approx 1239.84\\,\\mathrm{{eV\\,nm}}$.",
          i, 100 + b * 7, 1239.84 / static_cast<double>(100 + b * 7));
    default:
      return fmt::format(
          "Item {}: the matrix $A = \\begin{{pmatrix}} {} & {} \\\\ {} & {} \\end{{pmatrix}}$ has "
          "$\\det A = {}$ and $\\operatorname{{tr}} A = {}$. Claim: both eigenvalues are real.",
          i, a, b, c, a + 1, a * (a + 1) - b * c, 2 * a + 1);
  }
}

std::string ItemPayload(long long i) {
  return json::serialize(json::object{{"text", ItemText(i)}});
}

// A valid classification answer, mostly "correct".
std::string AnswerText(long long i, int j) {
  static constexpr const char* kLabels[] = {"correct", "correct", "correct", "correct", "correct",
                                            "correct", "correct", "incorrect", "incorrect", "unsure"};
  const long long h = (i * 7 + j * 3) % 10;
  return fmt::format(R"({{"label":"{}","confidence":{}}})", kLabels[h], 1 + (i + j) % 5);
}

int WriteJsonl(const std::string& path, long long lines) {
  auto t0 = Clock::now();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "fw_bench_seed: cannot write %s\n", path.c_str());
    return 1;
  }
  std::vector<char> buf(1 << 20);
  std::setvbuf(f, buf.data(), _IOFBF, buf.size());
  long long bytes = 0;
  for (long long i = 0; i < lines; ++i) {
    std::string line = json::serialize(
        json::object{{"data", json::object{{"text", ItemText(i)}}}, {"external_id", fmt::format("imp-{}", i)}});
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), f);
    bytes += static_cast<long long>(line.size());
  }
  if (std::fclose(f) != 0) {
    std::fprintf(stderr, "fw_bench_seed: write to %s failed\n", path.c_str());
    return 1;
  }
  std::fprintf(stderr, "wrote %lld lines (%.1f MB, %.0f bytes/line) to %s in %.1f s\n", lines, bytes / 1e6,
               lines ? static_cast<double>(bytes) / static_cast<double>(lines) : 0.0, path.c_str(), SecondsSince(t0));
  return 0;
}

struct SeedArgs {
  std::string data_dir;
  long long items = 1000000;
  int experts = 10000;
  long long answers = 3000000;
  int redundancy = 5;
  int tokens = 64;
  std::string tokens_out;
  long long export_answers = 0;
  std::string info_out;
  long long chunk = 50000;  // items per transaction
};

// Inserts `n_items` items of project `pid`, each with `per_item` submitted answers, in
// transactions of `chunk` items. Returns the number of answers inserted.
Result<long long> InsertBulk(app::App& app, long long org, long long pid, long long n_items, int per_item,
                             int redundancy, const std::vector<long long>& experts, long long chunk,
                             const char* what) {
  auto t0 = Clock::now();
  const long long now = static_cast<long long>(std::time(nullptr));
  long long answers = 0;
  for (long long start = 0; start < n_items; start += chunk) {
    const long long end = std::min(n_items, start + chunk);
    FW_TRY(long long n, app.db().Write<long long>([&](soci::session& s) -> Result<long long> {
      long long item_base = 0, asg_base = 0, sub_base = 0;
      s << "SELECT COALESCE(MAX(id), 0) FROM items", soci::into(item_base);
      s << "SELECT COALESCE(MAX(id), 0) FROM assignments", soci::into(asg_base);
      s << "SELECT COALESCE(MAX(id), 0) FROM submissions", soci::into(sub_base);

      long long item_id = 0, created = now - 86400, asg_id = 0, sub_id = 0, expert = 0;
      long long leased = 0, expires = 0, finished = 0, active = 0;
      int taken = per_item, is_open = per_item < redundancy ? 1 : 0;
      std::string ext, payload, key, answer;
      soci::statement ins_item =
          (s.prepare << "INSERT INTO items (id, org_id, project_id, external_id, payload, priority, is_gold, taken, "
                        "submitted, is_open, created_at) VALUES (:id, :o, :p, :e, :pl, 0, 0, :t, :s, :op, :c)",
           soci::use(item_id), soci::use(org), soci::use(pid), soci::use(ext), soci::use(payload), soci::use(taken),
           soci::use(taken), soci::use(is_open), soci::use(created));
      soci::statement ins_asg =
          (s.prepare << "INSERT INTO assignments (id, org_id, project_id, item_id, expert_id, is_gold, "
                        "template_version, state, leased_at, lease_expires_at, last_heartbeat_at, active_seconds, "
                        "finished_at) VALUES (:id, :o, :p, :i, :e, 0, 1, 'submitted', :l, :x, :h, :a, :f)",
           soci::use(asg_id), soci::use(org), soci::use(pid), soci::use(item_id), soci::use(expert),
           soci::use(leased), soci::use(expires), soci::use(finished), soci::use(active), soci::use(finished));
      soci::statement ins_sub =
          (s.prepare << "INSERT INTO submissions (id, org_id, project_id, item_id, assignment_id, expert_id, "
                        "idempotency_key, answer, template_version, active_seconds, leased_at, submitted_at, is_gold) "
                        "VALUES (:id, :o, :p, :i, :a, :e, :k, :ans, 1, :act, :l, :n, 0)",
           soci::use(sub_id), soci::use(org), soci::use(pid), soci::use(item_id), soci::use(asg_id),
           soci::use(expert), soci::use(key), soci::use(answer), soci::use(active), soci::use(leased),
           soci::use(finished));
      long long inserted = 0;
      for (long long i = start; i < end; ++i) {
        item_id = item_base + (i - start) + 1;
        ext = fmt::format("seed-{}-{}", pid, i);
        payload = ItemPayload(i);
        ins_item.execute(true);
        for (int j = 0; j < per_item; ++j) {
          ++asg_base;
          ++sub_base;
          asg_id = asg_base;
          sub_id = sub_base;
          expert = experts[static_cast<std::size_t>((i * per_item + j) % static_cast<long long>(experts.size()))];
          leased = created + 600 + (i % 3600);
          active = 30 + (i * 13 + j) % 900;
          finished = leased + active;
          expires = leased + 1800;
          key = fmt::format("seed-{}-{}-{}", pid, i, j);
          answer = AnswerText(i, j);
          ins_asg.execute(true);
          ins_sub.execute(true);
          ++inserted;
        }
      }
      return inserted;
    }));
    answers += n;
    // On a terminal one line is redrawn; in a log, a line every fifth of the way.
    const bool tty = ::isatty(2) != 0;
    const long long step = std::max(chunk, n_items / 5);
    if (tty || end == n_items || end / step != start / step) {
      const double secs = SecondsSince(t0);
      std::fprintf(stderr, "%s  %s: %lld/%lld items, %lld answers, %.1f s (%.0f rows/s)%s", tty ? "\r" : "", what,
                   end, n_items, answers, secs, static_cast<double>(end + 2 * answers) / secs, tty ? "   " : "\n");
    }
  }
  if (::isatty(2)) std::fprintf(stderr, "\n");
  // The bulk rows bypass the item pool, so its progress counters are counted once from them.
  FW_TRY_STATUS(app.db().Write<bool>([&](soci::session& s) -> Result<bool> {
    projects::RecountProgress(s, pid, true);
    return true;
  }));
  return answers;
}

// Runs fn(i) for i in [0, n) on `threads` threads; the first error wins.
Status Parallel(long long n, int threads, const std::function<Status(long long)>& fn) {
  std::atomic<long long> next{0};
  std::mutex mu;
  std::optional<Error> first;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (;;) {
        long long i = next.fetch_add(1);
        if (i >= n) return;
        Status st = fn(i);
        if (!st) {
          std::lock_guard lock(mu);
          if (!first) first = st.error();
          next.store(n);
          return;
        }
      }
    });
  }
  for (auto& t : pool) t.join();
  if (first) return Fail(*first);
  return {};
}

std::string ExpertEmail(long long n) { return fmt::format("expert{}@bench.example", n); }

Status Seed(const SeedArgs& a) {
  if (a.items <= 0 || a.experts <= 0 || a.answers < 0 || a.answers % a.items != 0) {
    return InvalidArgument("--answers must be a multiple of --items (answers per item)");
  }
  const int per_item = static_cast<int>(a.answers / a.items);
  if (per_item > a.redundancy || per_item > a.experts) {
    return InvalidArgument("answers per item must be at most --redundancy and --experts");
  }
  if (a.tokens > a.experts) return InvalidArgument("--tokens must be at most --experts");
  if (std::filesystem::exists(std::filesystem::path(a.data_dir) / "fachwerk.db")) {
    return InvalidArgument(fmt::format("{} already holds a database; seed a fresh directory", a.data_dir));
  }

  auto t_all = Clock::now();
  Config config;
  config.data_dir = a.data_dir;
  config.log_level = "warn";
  config.threads = 8;
  // Seeding hashes (cheaply) from 16 threads at once; the server's bound is for untrusted load.
  config.max_concurrent_hashes = 16;
  config.max_waiting_hashes = 64;
  spdlog::set_level(spdlog::level::warn);
  FW_TRY(auto app, app::App::Open(config, {.fast_password_hashing = true}));
  if (app->db().dialect() != db::Dialect::kSqlite) return InvalidArgument("fw_bench_seed seeds SQLite only");

  // Accounts through the services. Many threads, so the group-commit writer batches them.
  auto t0 = Clock::now();
  FW_TRY(orgs::Lab lab, app->orgs().CreateLab("Bench Lab", "bench"));
  const std::string owner_email = "owner@bench.example";
  FW_TRY(orgs::User owner,
         app->orgs().CreateUser({owner_email, "Bench Owner", "bench-password-1", Role::kLabOwner, lab.id}));
  std::vector<long long> experts(static_cast<std::size_t>(a.experts));
  FW_TRY_STATUS(Parallel(a.experts, 16, [&](long long n) -> Status {
    FW_TRY(orgs::User u, app->orgs().CreateUser({ExpertEmail(n), fmt::format("Bench Expert {}", n),
                                                 "bench-password-1", Role::kExpert, 0}));
    FW_TRY_STATUS(app->experts().GrantQualification(u.id, "physics", 3, false));
    experts[static_cast<std::size_t>(n)] = u.id;
    return {};
  }));
  std::fprintf(stderr, "  lab, owner and %d physics experts: %.1f s\n", a.experts, SecondsSince(t0));

  Caller owner_caller;
  owner_caller.user_id = owner.id;
  owner_caller.role = Role::kLabOwner;
  owner_caller.org_id = lab.id;
  owner_caller.request_id = "bench-seed";
  auto make_project = [&](std::string name, int redundancy) {
    projects::NewProject p;
    p.name = std::move(name);
    p.description = "fw_bench_seed";
    p.preset = "classification";
    p.domain = "physics";
    p.min_level = 1;
    p.redundancy = redundancy;
    return app->projects().Create(owner_caller, std::move(p));
  };
  FW_TRY(projects::Project work_project, make_project("Bench: verification (work loop)", a.redundancy));
  FW_TRY(projects::Project import_target, make_project("Bench: import target", 1));

  // Bulk rows: a bigger page cache for the writer while it builds the indexes.
  FW_TRY_STATUS(app->db().Write<bool>([](soci::session& s) -> Result<bool> {
    s << "PRAGMA cache_size=-1048576";
    return true;
  }));
  t0 = Clock::now();
  FW_TRY(long long answers,
         InsertBulk(*app, lab.id, work_project.id, a.items, per_item, a.redundancy, experts, a.chunk, "work-loop project"));
  std::fprintf(stderr, "  %lld items and %lld answers: %.1f s\n", a.items, answers, SecondsSince(t0));

  std::optional<projects::Project> export_project;
  if (a.export_answers > 0) {
    FW_TRY(export_project, make_project("Bench: export", 1));
    t0 = Clock::now();
    FW_TRY(long long n, InsertBulk(*app, lab.id, export_project->id, a.export_answers, 1, 1, experts, a.chunk,
                                   "export project"));
    std::fprintf(stderr, "  %lld export items and answers: %.1f s\n", n, SecondsSince(t0));
  }
  FW_TRY_STATUS(app->db().Write<bool>([](soci::session& s) -> Result<bool> {
    s << "PRAGMA cache_size=-65536";
    return true;
  }));
  // Tokens for the load generator (one expert each) and for the lab (import, export).
  std::vector<std::string> secrets;
  for (int n = 0; n < a.tokens; ++n) {
    FW_TRY(auto t, app->orgs().CreateTokenForUser(ExpertEmail(n), "bench-loadgen"));
    secrets.push_back(t.secret);
  }
  FW_TRY(auto lab_token, app->orgs().CreateTokenForUser(owner_email, "bench-lab"));
  // /metrics is for operators: the script reads counters with this token.
  const std::string operator_email = "operator@bench.example";
  FW_TRY_STATUS(app->orgs().CreateUser({operator_email, "Bench Operator", "bench-password-1", Role::kOperator, 0}));
  FW_TRY(auto operator_token, app->orgs().CreateTokenForUser(operator_email, "bench-metrics"));
  if (!a.tokens_out.empty()) {
    std::ofstream out(a.tokens_out);
    for (const auto& s : secrets) out << s << "\n";
    if (!out) return Fail(ErrorCode::kUnavailable, fmt::format("cannot write {}", a.tokens_out));
  }
  const auto& ids = app->ids();
  const std::string main_id = ids.Encode(security::IdKind::kProject, work_project.id);
  if (!a.info_out.empty()) {
    std::ofstream out(a.info_out);
    out << "PROJECT=" << main_id << "\n";
    out << "IMPORT_PROJECT=" << ids.Encode(security::IdKind::kProject, import_target.id) << "\n";
    out << "EXPORT_PROJECT="
        << (export_project ? ids.Encode(security::IdKind::kProject, export_project->id) : std::string()) << "\n";
    out << "LAB_TOKEN=" << lab_token.secret << "\n";
    out << "OPERATOR_TOKEN=" << operator_token.secret << "\n";
    if (!out) return Fail(ErrorCode::kUnavailable, fmt::format("cannot write {}", a.info_out));
  }
  app.reset();
  std::error_code ec;
  auto db_bytes = std::filesystem::file_size(std::filesystem::path(a.data_dir) / "fachwerk.db", ec);
  std::fprintf(stderr, "seeded %s in %.1f s (database %.0f MB)\n", a.data_dir.c_str(), SecondsSince(t_all),
               ec ? 0.0 : static_cast<double>(db_bytes) / 1e6);
  std::printf("%s\n", main_id.c_str());
  return {};
}

}  // namespace
}  // namespace fw::bench

int main(int argc, char** argv) {
  using namespace fw::bench;
  CLI::App cli{"fw_bench_seed: seed a Fachwerk data directory for benchmarks, or write a JSONL import file"};
  SeedArgs a;
  std::string jsonl;
  long long lines = 1000000;
  cli.add_option("--data", a.data_dir, "fresh data directory to seed");
  cli.add_option("--items", a.items, "items in the work-loop project (default 1000000)");
  cli.add_option("--experts", a.experts, "experts with a physics qualification (default 10000)");
  cli.add_option("--answers", a.answers, "submitted answers, a multiple of --items (default 3000000)");
  cli.add_option("--redundancy", a.redundancy, "the work-loop project's redundancy k (default 5)");
  cli.add_option("--tokens", a.tokens, "API tokens of the first experts to write (default 64)");
  cli.add_option("--tokens-out", a.tokens_out, "file for the expert tokens, one a line");
  cli.add_option("--export-answers", a.export_answers, "also seed an export project with this many answers");
  cli.add_option("--info-out", a.info_out, "file for PROJECT=, IMPORT_PROJECT=, EXPORT_PROJECT=, LAB_TOKEN= lines");
  cli.add_option("--chunk", a.chunk, "items per transaction (default 50000)");
  cli.add_option("--write-jsonl", jsonl, "instead of seeding: write an import file of --lines items");
  cli.add_option("--lines", lines, "lines for --write-jsonl (default 1000000)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  if (!jsonl.empty()) return WriteJsonl(jsonl, lines);
  if (a.data_dir.empty()) {
    std::fprintf(stderr, "fw_bench_seed: --data or --write-jsonl is required\n");
    return 2;
  }
  auto st = Seed(a);
  if (!st) {
    std::fprintf(stderr, "fw_bench_seed: %s\n", st.error().message.c_str());
    for (const auto& d : st.error().details) std::fprintf(stderr, "  %s: %s\n", d.field.c_str(), d.message.c_str());
    return 1;
  }
  return 0;
}
