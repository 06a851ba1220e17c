// Demo data: what `fachwerk demo` serves. Realistic enough to try every preset by hand.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>

#include "app/app.h"
#include "db/query.h"

namespace fw::app {

namespace {

constexpr std::string_view kPassword = "fachwerk-demo";

constexpr std::string_view kSftItems = R"jsonl(
{"data":{"prompt":"Derive the period of a simple pendulum of length $L$ for small oscillations, starting from Newton's second law. State clearly where the small-angle approximation $\\sin\\theta \\approx \\theta$ enters.","system":"You are a careful physics tutor. Show every step."},"priority":2,"external_id":"phys-sft-001"}
{"data":{"prompt":"A particle of mass $m$ moves in the potential $V(x) = \\tfrac{1}{2} k x^2 + \\lambda x^4$. Use first-order perturbation theory to find the shift of the ground-state energy of the quantum oscillator, with $\\omega = \\sqrt{k/m}$."},"priority":1,"external_id":"phys-sft-002"}
{"data":{"prompt":"Explain why the entropy change of an ideal gas in a free (Joule) expansion from $V$ to $2V$ is $\\Delta S = N k_B \\ln 2$ even though no heat flows."},"external_id":"phys-sft-003"}
{"data":{"prompt":"Show that Maxwell's equations in vacuum imply the wave equation $\\nabla^2 \\mathbf{E} = \\mu_0 \\varepsilon_0\\, \\partial_t^2 \\mathbf{E}$ and identify the propagation speed."},"external_id":"phys-sft-004"}
{"data":{"prompt":"A satellite is in a circular orbit of radius $r$ around a planet of mass $M$. Derive the orbital speed and show that the total energy is $E = -\\frac{GMm}{2r}$."},"external_id":"phys-sft-005"}
{"data":{"prompt":"Gold check: what is the escape velocity from the surface of a body of mass $M$ and radius $R$? Give the formula."},"gold":{"response":"$v_{esc} = \\sqrt{2GM/R}$"},"external_id":"phys-sft-gold-1"}
)jsonl";

constexpr std::string_view kPreferenceItems = R"jsonl(
{"data":{"prompt":"Evaluate $\\int_0^{\\infty} e^{-x^2}\\,dx$.","response_a":"Square the integral and switch to polar coordinates: $I^2 = \\int_0^{\\pi/2}\\int_0^\\infty e^{-r^2} r\\,dr\\,d\\theta = \\frac{\\pi}{4}$, so $I = \\frac{\\sqrt{\\pi}}{2}$.","response_b":"Substitute $u = x^2$, so the integral is $\\int_0^\\infty e^{-u}\\,du = 1$."},"external_id":"math-pref-001"}
{"data":{"prompt":"Is $\\sum_{n=1}^{\\infty} \\frac{1}{n \\ln n}$ (from $n=2$) convergent?","response_a":"Yes: the terms go to zero, so the series converges.","response_b":"No. By the integral test, $\\int_2^\\infty \\frac{dx}{x\\ln x} = \\lim_{t\\to\\infty} \\ln\\ln t - \\ln\\ln 2 = \\infty$, so the series diverges."},"external_id":"math-pref-002"}
{"data":{"prompt":"Find the eigenvalues of $A = \\begin{pmatrix} 2 & 1 \\\\ 1 & 2 \\end{pmatrix}$.","response_a":"$\\det(A - \\lambda I) = (2-\\lambda)^2 - 1 = 0$ gives $\\lambda = 1$ and $\\lambda = 3$.","response_b":"The eigenvalues are the diagonal entries, $2$ and $2$."},"external_id":"math-pref-003"}
{"data":{"prompt":"Prove that $\\sqrt{2}$ is irrational.","response_a":"Suppose $\\sqrt2 = p/q$ in lowest terms. Then $p^2 = 2q^2$, so $p$ is even, $p = 2r$, hence $q^2 = 2r^2$ and $q$ is even too, contradicting lowest terms.","response_b":"$\\sqrt{2} = 1.41421356\\ldots$ never repeats, so it is irrational."},"external_id":"math-pref-004"}
)jsonl";

constexpr std::string_view kRubricItems = R"jsonl(
{"data":{"prompt":"A lease lets the tenant terminate 'upon ninety (90) days' written notice, provided that no such notice may be given before the second anniversary of the Commencement Date'. The tenant gives notice 22 months after commencement. Is the notice effective, and when can the lease end at the earliest?","response":"The notice is premature: notice may only be *given* on or after the second anniversary (24 months). A notice given at 22 months is ineffective; the tenant must serve again at 24 months, so the earliest termination date is 27 months after commencement."},"external_id":"law-rubric-001"}
{"data":{"prompt":"Under a limitation-of-liability clause capping damages at 'the fees paid in the twelve (12) months preceding the claim', the customer paid 10,000 EUR per month for the last 8 months and nothing before. What is the cap?","response":"The cap is 120,000 EUR, because the clause refers to twelve months of fees."},"external_id":"law-rubric-002"}
{"data":{"prompt":"Does a 'best efforts' obligation under English law require a party to act against its own commercial interests?","response":"Courts have held that 'best endeavours' may require a party to take steps against its own commercial interest, more than 'reasonable endeavours', though not to the point of ruin; the content depends on the contract as a whole."},"external_id":"law-rubric-003"}
)jsonl";

constexpr std::string_view kAdversarialItems = R"jsonl(
{"data":{"topic":"Write a clinical question about **acid–base disorders** that a strong model answers wrongly. Include a reference answer and a worked solution, e.g. using the anion gap $AG = [Na^+] - ([Cl^-] + [HCO_3^-])$ and Winter's formula $pCO_2 = 1.5\\,[HCO_3^-] + 8 \\pm 2$."},"external_id":"med-adv-001"}
{"data":{"topic":"Write a question on **drug interactions** in patients on warfarin where the correct management is counter-intuitive."},"external_id":"med-adv-002"}
{"data":{"topic":"Write a question on **renal dosing**: use the Cockcroft–Gault estimate $CrCl = \\frac{(140 - \\text{age}) \\times \\text{weight}}{72 \\times S_{Cr}}$ (×0.85 for women)."},"external_id":"med-adv-003"}
)jsonl";

constexpr std::string_view kClassificationItems = R"jsonl(
{"data":{"text":"**Claim.** For every integer $n \\ge 1$, $\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$.\n\n**Proof.** For $n = 1$ both sides are $1$. If it holds for $n$, then $\\sum_{k=1}^{n+1} k = \\frac{n(n+1)}{2} + (n+1) = \\frac{(n+1)(n+2)}{2}$. $\\blacksquare$"},"external_id":"math-cls-001"}
{"data":{"text":"**Claim.** $1 = 2$.\n\n**Proof.** Let $a = b$. Then $a^2 = ab$, so $a^2 - b^2 = ab - b^2$, i.e. $(a+b)(a-b) = b(a-b)$. Dividing by $(a-b)$ gives $a + b = b$, so $2b = b$ and $2 = 1$. $\\blacksquare$"},"gold":{"label":"incorrect"},"external_id":"math-cls-gold-1"}
{"data":{"text":"**Claim.** Every bounded sequence in $\\mathbb{R}$ converges.\n\n**Proof.** A bounded sequence has a convergent subsequence by Bolzano–Weierstrass, hence it converges. $\\blacksquare$"},"priority":3,"external_id":"math-cls-002"}
{"data":{"text":"**Claim.** If $f$ is differentiable at $x_0$ then $f$ is continuous at $x_0$.\n\n**Proof.** $f(x) - f(x_0) = \\frac{f(x)-f(x_0)}{x-x_0}(x - x_0) \\to f'(x_0)\\cdot 0 = 0$ as $x \\to x_0$. $\\blacksquare$"},"external_id":"math-cls-003"}
)jsonl";

// Proofs added once the first ones are judged and reviewed: Ada's answers to them wait for a
// reviewer.
constexpr std::string_view kMoreClassificationItems = R"jsonl(
{"data":{"text":"**Claim.** $\\sqrt{2}$ is irrational.\n\n**Proof.** Suppose $\\sqrt{2} = p/q$ in lowest terms. Then $p^2 = 2q^2$, so $p$ is even, $p = 2r$, and $q^2 = 2r^2$, so $q$ is even too, against lowest terms. $\\blacksquare$"},"external_id":"math-cls-004"}
{"data":{"text":"**Claim.** There are infinitely many primes.\n\n**Proof.** Given primes $p_1, \\dots, p_n$, the number $p_1 \\cdots p_n + 1$ is divisible by none of them, so some prime is missing from every finite list. $\\blacksquare$"},"external_id":"math-cls-005"}
{"data":{"text":"**Claim.** Every continuous function on $(0, 1)$ is bounded.\n\n**Proof.** $(0,1)$ is bounded, and a continuous function on a bounded set is bounded. $\\blacksquare$"},"external_id":"math-cls-006"}
)jsonl";

// Every field type a template has, and the question types the presets leave out: an assistant's
// code in a chat transcript, reviewed by a software engineer.
constexpr std::string_view kCodeReviewTemplate = R"json({
  "fields": [
    {"name": "conversation", "type": "chat", "title": "Conversation"},
    {"name": "code", "type": "code", "title": "The code as run", "language": "python"},
    {"name": "figure", "type": "image_url", "title": "Figure", "required": false}
  ],
  "questions": [
    {"name": "verdict", "type": "label", "title": "Is the assistant's code correct?",
     "options": ["correct", "buggy", "unsure"]},
    {"name": "issues", "type": "multi_label", "title": "What is wrong with it?", "required": false,
     "options": ["off-by-one", "wrong complexity", "unsafe input handling", "style only"],
     "max_selected": 3},
    {"name": "severity", "type": "rating", "title": "How bad is it for the user?", "min": 1,
     "max": 5, "required": false},
    {"name": "lines", "type": "number", "title": "Lines you would change", "min": 0, "integer": true},
    {"name": "priorities", "type": "ranking", "title": "Order these review concerns",
     "options": ["correctness", "performance", "readability"]},
    {"name": "fix", "type": "text", "title": "Your fix, with a word on why", "required": false,
     "max_length": 4000}
  ]
})json";

constexpr std::string_view kCodeReviewItems = R"jsonl(
{"data":{"conversation":[{"role":"user","content":"Write a Python function that returns the $k$ largest numbers of a list, largest first."},{"role":"assistant","content":"Sort and slice:\n\n```python\ndef top_k(xs, k):\n    return sorted(xs)[-k:]\n```\n\nThis runs in $O(n \\log n)$."}],"code":"def top_k(xs, k):\n    return sorted(xs)[-k:]\n\nprint(top_k([5, 1, 9, 3], 2))  # [5, 9]"},"external_id":"cs-review-001"}
{"data":{"conversation":[{"role":"system","content":"You are a senior Python reviewer."},{"role":"user","content":"Is this binary search right?"},{"role":"assistant","content":"Yes, it handles every case."}],"code":"def search(a, x):\n    lo, hi = 0, len(a)\n    while lo < hi:\n        mid = (lo + hi) // 2\n        if a[mid] < x:\n            lo = mid\n        else:\n            hi = mid\n    return lo"},"external_id":"cs-review-002"}
{"data":{"conversation":[{"role":"user","content":"Plot $y = x^2$ for $x \\in [-2, 2]$ and tell me where the minimum is."},{"role":"assistant","content":"The minimum is at $x = 0$, as the plot shows."}],"code":"import numpy as np\nimport matplotlib.pyplot as plt\nx = np.linspace(-2, 2, 101)\nplt.plot(x, x**2)\nplt.show()","figure":"https://upload.wikimedia.org/wikipedia/commons/thumb/f/f8/Polynomialdeg2.svg/480px-Polynomialdeg2.svg.png"},"priority":-1,"external_id":"cs-review-003"}
)jsonl";

struct DemoProject {
  std::string_view lab;
  std::string_view name;
  std::string_view description;
  std::string_view guidelines;
  std::string_view preset;  // or "" with a template of its own
  std::string_view domain;
  int min_level;
  int redundancy;
  double gold_rate;
  std::string_view items;
  std::string_view template_json = {};  // when preset is ""
};

constexpr std::string_view kContractTerms =
    "## Confidentiality\n\n"
    "The clauses you grade come from Helios Research's clients. Do not copy, keep or share "
    "them, or your analyses, outside this workbench, and do not use them in your own "
    "practice.\n\n"
    "## Conflicts\n\n"
    "Skip a task (reason: conflict of interest) when you advise a party to the contract.";

constexpr DemoProject kProjects[] = {
    {"helios", "Physics derivations (SFT)",
     "Step-by-step derivations written by physicists, for supervised fine-tuning.",
     "Write the derivation a strong student could follow: state the assumptions, then every "
     "step. Use LaTeX for math, e.g. $F = ma$ or $$T = 2\\pi\\sqrt{L/g}.$$ Name each "
     "approximation where it enters (e.g. $\\sin\\theta \\approx \\theta$ for small "
     "$\\theta$).",
     "sft",
     "physics", 3, 1, 0.1, kSftItems},
    {"helios", "Calculus explanations (pairwise)",
     "Which of two model answers is mathematically sound?",
     "Prefer the answer whose reasoning is **correct**, even if it is shorter. A right result "
     "reached by a wrong argument (e.g. dividing by $a - b$ when $a = b$) loses. Use *tie* only "
     "when both are equally sound or equally wrong.",
     "preference", "mathematics", 2, 3, 0,
     kPreferenceItems},
    {"helios", "Contract clauses (rubric)",
     "Grade model analyses of contract clauses against a rubric.",
     "Grade the analysis under English law unless the clause says otherwise. A criterion passes "
     "only when the analysis states it explicitly; cite the clause's words in your notes.",
     "rubric", "law", 3, 2, 0,
     kRubricItems},
    {"meridian", "Stump the model: clinical reasoning",
     "Questions a frontier model gets wrong, with reference answers.",
     "Write a question with one defensible answer that a clinician would agree on. Give the "
     "reference answer and the worked solution, with units (e.g. $\\text{mmol/L}$).",
     "adversarial", "medicine", 3,
     1, 0, kAdversarialItems},
    {"meridian", "Proof verification", "Is the proof correct?",
     "Mark a proof *incorrect* at its first invalid step, even if the claim is true. Check the "
     "base case of an induction and every division (by zero?). Say *unsure* rather than guess.",
     "classification", "mathematics", 1,
     3, 0.2, kClassificationItems},
    {"meridian", "Code review: model answers",
     "Is the assistant's code right? Every field type and most question types in one template.",
     "Run the code in your head before you judge the explanation. Count the lines you would "
     "change in the code as run; rank the review concerns by how much they matter here.",
     "", "computer_science", 2, 2, 0, kCodeReviewItems, kCodeReviewTemplate},
};

Result<orgs::User> EnsureUser(App& app, std::string email, std::string name, Role role,
                              std::int64_t org) {
  auto found = app.orgs().FindUserByEmail(email);
  if (found) return found;
  orgs::NewUser u;
  u.email = std::move(email);
  u.name = std::move(name);
  u.password = std::string(kPassword);
  u.role = role;
  u.org_id = org;
  return app.orgs().CreateUser(u);
}

// Seeding takes milliseconds, and a heartbeat credits no more than the wall time since the
// assignment's last heartbeat and since the expert was last credited anywhere. To give a demo
// task the active time a person would have spent on it, the lease, its last heartbeat and the
// expert's last credited moment are moved back by the seconds to credit before each heartbeat,
// which then credits them as any heartbeat does (timesheet, pay); the lease also starts half
// as long again earlier, the idle time a person has too. At most the heartbeat cap a heartbeat.
Status CreditActiveTime(App& app, const Caller& expert, std::int64_t assignment_id,
                        std::int64_t seconds) {
  constexpr std::int64_t kStep = 120;
  auto move_back = [&](std::int64_t lease, std::int64_t credit) -> Status {
    FW_TRY(bool moved, app.db().Write<bool>([&](soci::session& s) -> Result<bool> {
      db::Query(s,
                "UPDATE assignments SET leased_at = leased_at - :l, "
                "last_heartbeat_at = last_heartbeat_at - :c WHERE id = :id")
          .Bind(lease)
          .Bind(credit)
          .Bind(assignment_id)
          .Run();
      db::Query(s,
                "UPDATE expert_activity SET credited_until = credited_until - :c "
                "WHERE expert_id = :e")
          .Bind(credit)
          .Bind(expert.user_id)
          .Run();
      return true;
    }));
    (void)moved;
    return {};
  };
  FW_TRY_STATUS(move_back(seconds / 2, 0));
  while (seconds > 0) {
    const std::int64_t step = std::min(seconds, kStep);
    FW_TRY_STATUS(move_back(step, step));
    FW_TRY(auto beat, app.work().Heartbeat(expert, assignment_id, step));
    (void)beat;
    seconds -= step;
  }
  return {};
}

// What Emmy decides on a proof verification answer.
struct Verdict {
  const char* outcome;
  const char* reason;
  const char* comment;
  bool owed;  // decided after the payout batch: owed to the expert
};
constexpr Verdict kAccept = {"accept", "", "", false};
constexpr Verdict kRework = {
    "rework", "",
    "Check every step once more (is any division by zero, like $a - b$ when $a = b$?) and "
    "answer again.",
    false};
constexpr Verdict kAcceptSofia = {"accept", "", "Right.", true};
constexpr Verdict kRejectQuality = {"reject", "quality",
                                    "This proof divides by $a - b = 0$; it is incorrect.", true};

// Three mathematicians judge the first two proofs, one of them dissenting on the second, so
// the project's quality report has aggregates, agreement and expert skill to show; the other
// items stay open for whoever logs in as an expert. Emmy and Ada see through the gold proof
// ("1 = 2"); Sofia goes on judging until she meets it and, believing it, falls below the
// project's gold threshold and is paused there.
Status SeedJudgments(App& app, const Caller& owner, std::int64_t project_id,
                     const std::map<std::string, std::int64_t>& expert_ids,
                     std::map<std::int64_t, Verdict>& verdicts) {
  struct Judge {
    const char* email;
    const char* dissent;
    int tasks;
  };
  const Judge judges[] = {{"emmy@experts.example", "correct", 2},
                          {"ada@experts.example", "correct", 2},
                          {"sofia@experts.example", "unsure", 6}};
  for (const Judge& judge : judges) {
    Caller expert;
    expert.role = Role::kExpert;
    expert.user_id = expert_ids.at(judge.email);
    const bool believer = std::string_view(judge.email) == "sofia@experts.example";
    for (int i = 0; i < judge.tasks; ++i) {
      auto next = app.work().Next(expert, project_id);
      if (!next && next.error().reason == "paused") break;
      if (!next) return tl::unexpected(std::move(next).error());
      if (!*next) break;
      const bool bogus = boost::json::serialize((*next)->data).find("$1 = 2$") != std::string::npos;
      const char* label = bogus ? (believer ? "correct" : "incorrect")
                                : (i == 0 ? "correct" : (i == 1 ? judge.dissent : "correct"));
      boost::json::object answer{{"label", label}, {"confidence", i == 0 ? 5 : 3}};
      // Between four and nine minutes a proof.
      FW_TRY_STATUS(
          CreditActiveTime(app, expert, (*next)->id, 240 + 60 * ((i * 7 + judge.tasks) % 6)));
      FW_TRY(auto sub,
             app.work().Submit(expert, (*next)->id, answer, fmt::format("demo-{}", (*next)->id)));
      if (std::string_view(judge.email) == "ada@experts.example") {
        verdicts[sub.id] = i == 0 ? kAccept : kRework;
      } else if (believer) {
        verdicts[sub.id] = bogus ? kRejectQuality : kAcceptSofia;
      }
      if (bogus && believer) break;
    }
  }
  FW_TRY(auto report, app.reports().Refresh(owner, project_id));
  (void)report;
  return {};
}

// Every euro owed to an expert so far, paid out in a batch the operator marked paid.
Status SeedPayout(App& app, const orgs::User& op) {
  Caller operator_caller;
  operator_caller.role = Role::kOperator;
  operator_caller.user_id = op.id;
  FW_TRY(pay::Payout batch, app.billing().CreatePayout(operator_caller, "EUR"));
  FW_TRY(auto paid, app.billing().MarkPaid(operator_caller, batch.id));
  (void)paid;
  return {};
}

// Emmy reviews the proof verification answers (the project reviews all of them), oldest
// first: Ada's first is accepted and her second sent back for rework, and these are paid out in
// a batch the operator marked paid; then Sofia's are accepted, but for the proof of 1 = 2 she
// believed, rejected for quality, and owed to her. Emmy's own answers wait for another
// reviewer.
Status SeedReviews(App& app, const orgs::User& op, std::int64_t project_id,
                   std::int64_t reviewer_id, const std::map<std::int64_t, Verdict>& verdicts) {
  Caller reviewer;
  reviewer.role = Role::kExpert;
  reviewer.user_id = reviewer_id;
  bool paid_out = false;
  for (;;) {
    FW_TRY(auto task, app.review().Next(reviewer, project_id));
    if (!task) break;
    auto found = verdicts.find(task->submission_id);
    const Verdict& v = found == verdicts.end() ? kAccept : found->second;
    if (v.owed && !paid_out) {
      FW_TRY_STATUS(SeedPayout(app, op));
      paid_out = true;
    }
    review::Decision d;
    d.outcome = v.outcome;
    d.reason = v.reason;
    d.comment = v.comment;
    FW_TRY(auto decided, app.review().Decide(reviewer, task->review_id, d));
    (void)decided;
  }
  return {};
}

// Imports JSONL items from a string into the project.
Status ImportItems(App& app, const Caller& owner, std::int64_t project_id,
                   std::string_view body) {
  std::size_t pos = 0;
  FW_TRY(auto summary, app.projects().Import(owner, project_id,
                                             [&](char* buf, std::size_t n) -> Result<std::size_t> {
                                               std::size_t k = std::min(n, body.size() - pos);
                                               std::memcpy(buf, body.data() + pos, k);
                                               pos += k;
                                               return k;
                                             }));
  (void)summary;
  return {};
}

// Ada answers two of the newer proofs, each in a few minutes; they wait for a reviewer.
Status SeedWaitingAnswers(App& app, std::int64_t project_id, std::int64_t ada_id) {
  Caller expert;
  expert.role = Role::kExpert;
  expert.user_id = ada_id;
  for (int i = 0; i < 2; ++i) {
    FW_TRY(auto next, app.work().Next(expert, project_id));
    if (!next) break;
    const bool bogus = boost::json::serialize(next->data).find("$1 = 2$") != std::string::npos;
    const bool bounded = boost::json::serialize(next->data).find("bounded") != std::string::npos;
    boost::json::object answer{{"label", bogus || bounded ? "incorrect" : "correct"},
                               {"confidence", 4}};
    FW_TRY_STATUS(CreditActiveTime(app, expert, next->id, 300 + 120 * i));
    FW_TRY(auto sub,
           app.work().Submit(expert, next->id, answer, fmt::format("demo-{}", next->id)));
    (void)sub;
  }
  return {};
}

// The derivations project reviews every written answer on a review form of the lab's own (a
// rubric per derivation and an overall rating), and Ada's two derivations wait for a reviewer.
Status SeedReviewedDerivations(App& app, const Caller& owner, std::int64_t project_id,
                               std::int64_t ada_id) {
  FW_TRY(auto policy, app.review().PutPolicy(owner, project_id, boost::json::parse(R"json({
      "mode": "free_text",
      "form": {"questions": [
        {"name": "derivation", "type": "rubric", "title": "The derivation", "criteria": [
          {"name": "correct", "title": "Correct result", "kind": "pass_fail"},
          {"name": "assumptions", "title": "Assumptions stated", "kind": "pass_fail"},
          {"name": "steps", "title": "Every step shown", "kind": "points", "max_points": 3}]},
        {"name": "overall", "type": "rating", "title": "Overall", "min": 1, "max": 5,
         "required": false}]}})json").as_object()));
  (void)policy;
  Caller expert;
  expert.role = Role::kExpert;
  expert.user_id = ada_id;
  const char* const answers[] = {
      "Newton's second law along the arc: $m L \\ddot\\theta = -m g \\sin\\theta$. For small "
      "angles $\\sin\\theta \\approx \\theta$, so $\\ddot\\theta = -(g/L)\\,\\theta$: "
      "simple harmonic motion with $\\omega = \\sqrt{g/L}$ and $$T = 2\\pi\\sqrt{L/g}.$$",
      "The first-order shift is $\\langle 0 | \\lambda x^4 | 0 \\rangle = 3 \\lambda "
      "(\\hbar / 2 m \\omega)^2$.",
  };
  for (const char* text : answers) {
    FW_TRY(auto next, app.work().Next(expert, project_id));
    if (!next) break;
    FW_TRY_STATUS(CreditActiveTime(app, expert, next->id, 600));
    FW_TRY(auto sub, app.work().Submit(expert, next->id, boost::json::object{{"response", text}},
                                       fmt::format("demo-{}", next->id)));
    (void)sub;
  }
  return {};
}

// Pay bands at the anchors of expert work (specialists 95 to 125 an hour, generalists 28 to
// 40), a 25% default markup, and Meridian paying in euros (set before its first ledger entry).
Status SeedPaySettings(App& app, const orgs::User& op, std::int64_t meridian_id) {
  Caller operator_caller;
  operator_caller.role = Role::kOperator;
  operator_caller.user_id = op.id;
  struct Band {
    const char* domain;
    int level;
    const char* currency;
    std::int64_t hourly_minor;
  };
  const Band bands[] = {
      {"", 0, "USD", 3000},
      {"physics", 3, "USD", 11000},
      {"mathematics", 2, "USD", 10000},
      {"law", 3, "USD", 12500},
      {"", 0, "EUR", 2800},
      {"medicine", 3, "EUR", 12000},
      {"mathematics", 1, "EUR", 4000},
      {"computer_science", 2, "EUR", 9500},
  };
  for (const Band& b : bands) {
    pay::PayBand band;
    band.domain = b.domain;
    band.level = b.level;
    band.currency = b.currency;
    band.hourly_minor = b.hourly_minor;
    FW_TRY(auto set, app.pay().PutBand(operator_caller, band));
    (void)set;
  }
  FW_TRY(auto markup, app.pay().SetDefaultMarkup(2500));
  (void)markup;
  FW_TRY(auto meridian, app.pay().SetLabPay(meridian_id, "EUR", std::nullopt));
  (void)meridian;
  return {};
}

// Meridian's invoice for today's charges.
Status SeedInvoice(App& app, const orgs::User& op, std::int64_t meridian_id) {
  Caller operator_caller;
  operator_caller.role = Role::kOperator;
  operator_caller.user_id = op.id;
  const UnixSeconds now = app.pay().clock().Now();
  const UnixSeconds day = 86400;
  FW_TRY(auto invoice, app.billing().IssueInvoice(operator_caller, meridian_id,
                                                  now - now % day, now - now % day + day));
  (void)invoice;
  return {};
}

// A ReadFn over a string the caller keeps.
experts::ReadFn ReadString(const std::string& bytes) {
  auto at = std::make_shared<std::size_t>(0);
  return [&bytes, at](char* buf, std::size_t n) -> Result<std::size_t> {
    std::size_t k = std::min(n, bytes.size() - *at);
    std::memcpy(buf, bytes.data() + *at, k);
    *at += k;
    return k;
  };
}

// The expert network's side of the demo: open sign-up, a profile, two verified credentials
// (one granting its qualification on the credential's grounds) and one pending in the
// operator's vetting queue, each with a small PDF as its evidence.
Status SeedCredentials(App& app, const orgs::User& op,
                       const std::map<std::string, std::int64_t>& expert_ids) {
  FW_TRY_STATUS(app.signup().SetMode(experts::SignupMode::kOpen));
  auto as_expert = [&](const char* email) {
    Caller c;
    c.role = Role::kExpert;
    c.user_id = expert_ids.at(email);
    return c;
  };
  Caller operator_caller;
  operator_caller.role = Role::kOperator;
  operator_caller.user_id = op.id;

  experts::ProfileUpdate ada;
  ada.headline = "Theoretical physicist, PhD (ETH Zurich)";
  ada.languages = {"en", "de"};
  ada.time_zone = "Europe/Zurich";
  ada.weekly_hours_cap = 20;
  ada.domains = {{"physics", 4}, {"quantum_field_theory", 4}, {"mathematics", 3}};
  experts::Affiliation employer;
  employer.organisation = "Paul Scherrer Institute";
  employer.kind = "employer";
  employer.since = 1'577'836'800;  // 2020-01-01
  ada.affiliations = {employer};
  FW_TRY_STATUS(app.profiles().Put(as_expert("ada@experts.example"), ada));

  struct CredentialSeed {
    const char* email;
    experts::NewCredential credential;
    const char* file;
    bool verify;
    bool grant;
  };
  std::vector<CredentialSeed> seeds;
  experts::NewCredential phd;
  phd.kind = "degree";
  phd.title = "PhD in Physics";
  phd.issuer = "ETH Zurich";
  phd.domain = "physics";
  phd.level = 4;
  phd.identifier_kind = "orcid";
  phd.identifier = "0000-0002-1825-0097";
  phd.issued_at = 1'404'172'800;  // 2014-07-01
  seeds.push_back({"ada@experts.example", phd, "ada-phd-diploma.pdf", true, true});
  experts::NewCredential bar;
  bar.kind = "licence";
  bar.title = "Admission to the New York bar";
  bar.issuer = "New York State Unified Court System";
  bar.domain = "law";
  bar.level = 5;
  bar.identifier_kind = "licence_number";
  bar.identifier = "NY-5123456";
  bar.issued_at = 1'262'304'000;  // 2010-01-01
  seeds.push_back({"ruth@experts.example", bar, "bar-admission.pdf", true, false});
  experts::NewCredential medical;
  medical.kind = "licence";
  medical.title = "Medical licence (cardiology)";
  medical.issuer = "General Medical Council";
  medical.domain = "medicine";
  medical.level = 5;
  medical.identifier_kind = "licence_number";
  medical.identifier = "GMC 7012345";
  medical.expires_at = 1'956'528'000;  // 2032-01-01
  seeds.push_back({"hippo@experts.example", medical, "gmc-licence.pdf", false, false});

  for (const CredentialSeed& seed : seeds) {
    Caller expert = as_expert(seed.email);
    FW_TRY(experts::Credential c, app.credentials().Create(expert, seed.credential));
    std::string pdf = experts::SamplePdf(
        fmt::format("{} - {} (demo evidence)", seed.credential.title, seed.credential.issuer));
    FW_TRY(c, app.credentials().AttachEvidence(expert, c.id, "application/pdf", seed.file,
                                               ReadString(pdf)));
    if (!seed.verify) continue;
    experts::Verification v;
    if (seed.grant) {
      v.grant = experts::GrantRequest{*seed.credential.domain, *seed.credential.level, true};
    }
    FW_TRY_STATUS(app.credentials().Verify(operator_caller, c.id, v));
  }
  return {};
}

// The questions of the demo's mathematics exam: four auto-graded against gold, one free text
// for a reviewer.
constexpr std::string_view kExamQuestions[] = {
    R"json({"prompt": "Which of these numbers is irrational?", "points": 1,
      "question": {"type": "label", "options": ["$\\frac{22}{7}$", "$\\sqrt{2}$", "$0.\\overline{3}$"]},
      "gold": "$\\sqrt{2}$"})json",
    R"json({"prompt": "Compute $\\int_0^1 3x^2 \\, dx$.", "points": 1,
      "question": {"type": "number"}, "gold": 1})json",
    R"json({"prompt": "Which of these groups are abelian?", "points": 2,
      "question": {"type": "multi_label", "options": ["$\\mathbb{Z}/6$", "$S_3$", "$\\mathbb{Z}^2$"]},
      "gold": ["$\\mathbb{Z}/6$", "$\\mathbb{Z}^2$"]})json",
    R"json({"prompt": "What is the determinant of $\\begin{pmatrix} 2 & 1 \\\\ 1 & 1 \\end{pmatrix}$?",
      "points": 1, "question": {"type": "rating", "min": -3, "max": 3}, "gold": 1})json",
    R"json({"prompt": "Prove that there are infinitely many primes.", "points": 3,
      "question": {"type": "text", "min_length": 20, "max_length": 5000}})json",
};

// An active mathematics exam at level 3 (all five questions drawn, in random order) and one
// attempt of Sofia's awaiting Emmy's grade of the proof.
Status SeedExam(App& app, std::int64_t operator_id, std::int64_t sofia_id) {
  experts::ExamSettings st;
  st.domain = "mathematics";
  st.level = 3;
  st.title = "Mathematics: master's level";
  st.description =
      "Five questions on analysis, algebra and number theory; the proof is graded by a "
      "reviewer. You have 30 minutes.";
  st.time_limit_seconds = 1800;
  st.pass_mark = 60;
  st.cooldown_seconds = 86400;
  st.draw_count = 5;
  st.valid_days = std::optional<int>(730);
  FW_TRY(experts::Exam exam, app.exams().CreateExam(st, operator_id));
  for (std::string_view text : kExamQuestions) {
    FW_TRY(experts::ExamQuestion q,
           experts::ParseExamQuestion(boost::json::parse(text).as_object()));
    FW_TRY_STATUS(app.exams().AddQuestion(exam.id, std::move(q)));
  }
  experts::ExamSettings on;
  on.active = true;
  FW_TRY_STATUS(app.exams().UpdateExam(exam.id, on));
  FW_TRY(experts::Attempt a, app.exams().Start(sofia_id, exam.id));
  std::vector<std::pair<std::int64_t, boost::json::value>> answers;
  for (const experts::AttemptQuestion& q : a.questions) {
    if (q.question.at("type") == "text") {
      answers.emplace_back(q.question_id,
                           "Suppose $p_1, \\dots, p_n$ were all the primes. Then "
                           "$p_1 \\cdots p_n + 1$ has a prime factor that is none of them.");
    } else if (q.question.at("type") == "number") {
      answers.emplace_back(q.question_id, 1);
    } else if (q.question.at("type") == "label") {
      answers.emplace_back(q.question_id, "$\\sqrt{2}$");
    }
  }
  FW_TRY_STATUS(app.exams().Submit(sofia_id, a.id, answers));
  return {};
}

}  // namespace

Result<DemoLogins> SeedDemo(App& app) {
  DemoLogins logins;
  logins.password = std::string(kPassword);
  logins.accounts = {
      {"operator@fachwerk.local", "operator"},
      {"owner@helios.example", "owner of Helios Research (lab)"},
      {"owner@meridian.example", "owner of Meridian AI (lab)"},
      {"ada@experts.example",
       "expert: physics (level 4, reviewer), mathematics (3); a proof verification answer sent "
       "back for rework"},
      {"emmy@experts.example",
       "expert: mathematics (level 5, reviewer): reviews proof verification answers and grades "
       "exam answers"},
      {"ruth@experts.example",
       "expert: law (level 4); the contract clauses project asks her to accept its terms"},
      {"hippo@experts.example", "expert: medicine (level 4)"},
      {"sofia@experts.example",
       "expert: mathematics (level 3), physics (level 3, reviewer): paused on proof verification "
       "(gold accuracy); scores physics derivations on the lab's review form"},
      {"grace@experts.example", "expert: computer science (level 4); can take the mathematics exam"}};
  if (app.orgs().FindLabBySlug("helios")) return logins;  // already seeded

  FW_TRY(auto op, EnsureUser(app, "operator@fachwerk.local", "Olga Operator", Role::kOperator, 0));
  FW_TRY(orgs::Lab helios, app.orgs().CreateLab("Helios Research", "helios"));
  FW_TRY(orgs::Lab meridian, app.orgs().CreateLab("Meridian AI", "meridian"));
  FW_TRY(orgs::User helios_owner,
         EnsureUser(app, "owner@helios.example", "Hana Helios", Role::kLabOwner, helios.id));
  FW_TRY(orgs::User meridian_owner,
         EnsureUser(app, "owner@meridian.example", "Mateo Meridian", Role::kLabOwner, meridian.id));

  struct ExpertSeed {
    const char* email;
    const char* name;
    std::vector<std::tuple<const char*, int, bool>> quals;
  };
  const ExpertSeed experts[] = {
      {"ada@experts.example", "Ada (physicist)", {{"physics", 4, true}, {"mathematics", 3, false}}},
      {"emmy@experts.example", "Emmy (mathematician)", {{"mathematics", 5, true}}},
      {"ruth@experts.example", "Ruth (lawyer)", {{"law", 4, false}}},
      {"hippo@experts.example", "Hippo (physician)", {{"medicine", 4, false}}},
      {"sofia@experts.example",
       "Sofia (mathematical physicist)",
       {{"mathematics", 3, false}, {"physics", 3, true}}},
      {"grace@experts.example", "Grace (software engineer)", {{"computer_science", 4, false}}},
  };
  std::map<std::string, std::int64_t> expert_ids;
  for (const ExpertSeed& e : experts) {
    FW_TRY(orgs::User u, EnsureUser(app, e.email, e.name, Role::kExpert, 0));
    expert_ids[e.email] = u.id;
    for (const auto& [domain, level, reviewer] : e.quals) {
      experts::Grounds grounds;
      grounds.reason = "demo data: interviewed by the operator";
      FW_TRY_STATUS(app.experts().GrantQualification(u.id, domain, level, reviewer, grounds));
    }
  }

  FW_TRY_STATUS(SeedCredentials(app, op, expert_ids));
  FW_TRY_STATUS(SeedPaySettings(app, op, meridian.id));

  for (const DemoProject& dp : kProjects) {
    Caller owner;
    owner.role = Role::kLabOwner;
    owner.org_id = dp.lab == "helios" ? helios.id : meridian.id;
    owner.user_id = dp.lab == "helios" ? helios_owner.id : meridian_owner.id;
    projects::NewProject np;
    np.name = std::string(dp.name);
    np.description = std::string(dp.description);
    np.guidelines = std::string(dp.guidelines);
    np.preset = std::string(dp.preset);
    if (dp.preset.empty()) np.tmpl = boost::json::parse(dp.template_json);
    np.domain = std::string(dp.domain);
    np.min_level = dp.min_level;
    np.redundancy = dp.redundancy;
    np.gold_rate = dp.gold_rate;
    // The legal project has terms its experts accept before the first task; proof
    // verification pauses an expert whose gold accuracy falls below 70% (after one gold
    // task, so the demo's seeded answers show a pause the operator can lift).
    if (dp.name == "Contract clauses (rubric)") {
      np.requirements.terms = std::string(kContractTerms);
    }
    if (dp.name == "Proof verification") {
      np.requirements.min_gold_accuracy = std::optional<double>(0.7);
      np.requirements.min_judgments = 1;
    }
    FW_TRY(projects::Project p, app.projects().Create(owner, std::move(np)));
    FW_TRY_STATUS(ImportItems(app, owner, p.id, dp.items));
    if (dp.preset == "classification") {
      // Reviewed and paid work: Ada's answers decided and paid out, Sofia's decided and owed
      // to her, the lab's charges on an invoice, a budget with room left, and two answers of
      // Ada's to newer proofs waiting for a reviewer.
      FW_TRY(auto policy, app.review().PutPolicy(owner, p.id, {{"mode", "all"}}));
      (void)policy;
      std::map<std::int64_t, Verdict> verdicts;
      FW_TRY_STATUS(SeedJudgments(app, owner, p.id, expert_ids, verdicts));
      FW_TRY_STATUS(SeedReviews(app, op, p.id, expert_ids.at("emmy@experts.example"), verdicts));
      FW_TRY_STATUS(SeedInvoice(app, op, meridian.id));
      FW_TRY_STATUS(ImportItems(app, owner, p.id, kMoreClassificationItems));
      FW_TRY_STATUS(SeedWaitingAnswers(app, p.id, expert_ids.at("ada@experts.example")));
      pay::ProjectPayUpdate terms;
      terms.budget_minor = std::optional<std::int64_t>(50000);
      FW_TRY(auto budget, app.pay().SetProjectTerms(owner, p.id, terms));
      (void)budget;
    }
    if (dp.preset == "sft") {
      FW_TRY_STATUS(
          SeedReviewedDerivations(app, owner, p.id, expert_ids.at("ada@experts.example")));
    }
    if (dp.name == "Code review: model answers") {
      pay::ProjectPayUpdate terms;
      terms.hourly_minor = std::optional<std::int64_t>(11000);
      FW_TRY(auto raised, app.pay().SetProjectTerms(owner, p.id, terms));
      (void)raised;
    }
    if (dp.name == "Calculus explanations (pairwise)") {
      pay::ProjectPayUpdate terms;
      terms.fixed_price_minor = std::optional<std::int64_t>(400);
      FW_TRY(auto fixed, app.pay().SetProjectTerms(owner, p.id, terms));
      (void)fixed;
    }
  }
  FW_TRY_STATUS(SeedExam(app, op.id, expert_ids.at("sofia@experts.example")));
  spdlog::info("demo data seeded");
  return logins;
}

}  // namespace fw::app
