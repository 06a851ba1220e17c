"""Tests of scripts/check-function-size: run by ctest as lint.function_size_test."""

import contextlib
import importlib.machinery
import importlib.util
import io
import pathlib
import tempfile
import unittest

_PATH = pathlib.Path(__file__).resolve().parent / "check-function-size"
_LOADER = importlib.machinery.SourceFileLoader("check_function_size", str(_PATH))
_SPEC = importlib.util.spec_from_loader(_LOADER.name, _LOADER)
check = importlib.util.module_from_spec(_SPEC)
_LOADER.exec_module(check)


def function(name, lines, filler="  x += 1;"):
    """A C++ function `int NAME(int x)` of exactly `lines` lines, declaration to closing brace."""
    assert lines >= 3
    body = [filler] * (lines - 3)
    return "\n".join(["int %s(int x) {" % name] + body + ["  return x;", "}"]) + "\n"


def lengths(text):
    return {name: n for _, name, n in check.functions(text)}


class CheckFunctionSize(unittest.TestCase):
    def run_check(self, files, *args):
        with tempfile.TemporaryDirectory() as d:
            for rel, text in files.items():
                p = pathlib.Path(d) / rel
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(text)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                rc = check.main([d, *args])
            return rc, out.getvalue().replace(d + "/", "")

    def test_flags_151_lines_and_passes_150(self):
        rc, out = self.run_check({"a/long.cc": function("Fits", 150) + "\n" + function("Long", 151)})
        self.assertEqual(rc, 1)
        self.assertEqual(out, "a/long.cc:152: function Long is 151 lines (limit 150)\n")

    def test_passes_a_tree_within_the_limit(self):
        rc, out = self.run_check({"x.h": function("A", 150), "y/z_test.cc": function("B", 10)})
        self.assertEqual((rc, out), (0, ""))

    def test_scans_headers_and_tests_and_nothing_else(self):
        rc, out = self.run_check({"x.h": function("H", 151), "x_test.cc": function("T", 151),
                                  "notes.txt": function("N", 400)})
        self.assertEqual(rc, 1)
        self.assertEqual(sorted(out.splitlines()),
                         ["x.h:1: function H is 151 lines (limit 150)",
                          "x_test.cc:1: function T is 151 lines (limit 150)"])

    def test_limit_flag(self):
        rc, out = self.run_check({"a.cc": function("F", 20)}, "--limit", "19")
        self.assertEqual((rc, out), (1, "a.cc:1: function F is 20 lines (limit 19)\n"))

    def test_counts_from_the_declaration_to_the_closing_brace(self):
        text = ("// comment\n"
                "template <typename T>\n"
                "Result<std::vector<T>>\n"
                "Ns::Class::Method(const T& a,\n"
                "                  int b) const noexcept\n"
                "{\n"
                "  return {};\n"
                "}\n")
        self.assertEqual(list(check.functions(text)), [(2, "Ns::Class::Method", 7)])

    def test_lambdas_count_toward_their_function(self):
        lam = "  auto f = [&](int y) -> int {\n" + "    y += 1;\n" * 140 + "    return y;\n  };\n"
        text = "void Outer() {\n" + lam + "  f(1);\n" * 8 + "}\n"
        self.assertEqual(lengths(text), {"Outer": 153})

    def test_local_classes_count_toward_their_function(self):
        text = "void Outer() {\n  struct L {\n    int F() {\n      return 1;\n    }\n  };\n}\n"
        self.assertEqual(lengths(text), {"Outer": 7})

    def test_braces_in_strings_comments_and_literals_do_not_count(self):
        filler = '  s += "}}}"; /* } { */ c = \'}\'; c = \'\\\'\'; s += "\\"}"; // }}'
        text = function("Tricky", 151, filler) + function("After", 3)
        self.assertEqual(lengths(text), {"Tricky": 151, "After": 3})

    def test_raw_strings_do_not_count(self):
        text = ('void F() {\n'
                '  auto a = R"(}}}})";\n'
                '  auto b = R"sql(SELECT "}" )" }} )sql";\n'
                '  auto c = u8R"x(\n}\n}\n)x";\n'
                '}\n'
                'void G() {}\n')
        self.assertEqual(lengths(text), {"F": 8, "G": 1})

    def test_digit_separators_are_not_character_literals(self):
        text = "int F() {\n  return 1'000'000;\n}\nint G() { return '{'; }\n"
        self.assertEqual(lengths(text), {"F": 3, "G": 1})

    def test_preprocessor_lines_do_not_count(self):
        text = ("#define OPEN {\n"
                "#define BLOCK(x) \\\n  do { x; \\\n  } while (0) {\n"
                "#include <map>\n"
                "int F() {\n  return 0;\n}\n")
        self.assertEqual(lengths(text), {"F": 3})

    def test_classes_namespaces_and_member_functions(self):
        text = ("namespace a::b {\n"
                "namespace {\n"
                "class C : public Base {\n"
                " public:\n"
                "  explicit C(int v) : v_(v), w_{v, 2} {\n"
                "    Init();\n"
                "  }\n"
                "  int operator()(int x) const { return x; }\n"
                "  bool operator<(const C& o) const { return v_ < o.v_; }\n"
                "  ~C() override {}\n"
                " private:\n"
                "  int v_ = 0;\n"
                "  std::array<int, 2> w_{1, 2};\n"
                "  std::function<void(int)> f_ = [](int) {\n"
                "  };\n"
                "};\n"
                "}  // namespace\n"
                "struct S {\n"
                "  int x{3};\n"
                "} s;\n"
                "auto Trailing(int a) -> decltype(a) {\n"
                "  return a;\n"
                "}\n"
                "C::C() : v_{1} {\n"
                "}\n"
                "}  // namespace a::b\n")
        self.assertEqual(list(check.functions(text)),
                         [(5, "C", 3), (8, "operator()", 1), (9, "operator<", 1), (10, "~C", 1),
                          (14, "lambda", 2), (21, "Trailing", 3), (24, "C::C", 2)])

    def test_brace_initializers_are_not_functions(self):
        text = ("constexpr std::array<int, 3> kA = {1, 2, 3};\n"
                "const std::map<std::string, int> kM{{\"a\", F(1)}, {\"b\", 2}};\n"
                "constexpr auto kT = [] {\n  std::array<bool, 2> t{};\n  return t;\n}();\n"
                "int G() { return 1; }\n")
        self.assertEqual(list(check.functions(text)), [(3, "lambda", 4), (7, "G", 1)])

    def test_test_macros_are_named_with_their_arguments(self):
        text = "TEST(Suite, DoesThings) {\n  EXPECT_EQ(1, 1);\n}\n"
        self.assertEqual(lengths(text), {"TEST(Suite, DoesThings)": 3})

    def test_unbalanced_braces_fail_the_check(self):
        rc, out = self.run_check({"bad.cc": "void F() {\n  if (x) {\n}\n"})
        self.assertEqual(rc, 1)
        self.assertIn("bad.cc: cannot scan", out)


if __name__ == "__main__":
    unittest.main()
