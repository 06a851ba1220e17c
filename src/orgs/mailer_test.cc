// The two ways invitations leave the instance: a file in the outbox, or a command's stdin.

#include "orgs/mailer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "security/crypto.h"

namespace fw::orgs {
namespace {

namespace fs = std::filesystem;

class MailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::InitCrypto());
    static int n = 0;
    dir_ = fs::temp_directory_path() /
           ("fw_mail_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path dir_;
  FakeClock clock_{1'764'064'800};  // 2025-11-25T10:00:00Z, a Tuesday
};

TEST_F(MailerTest, FormatMessageWritesRfc5322HeadersAndCrlfLines) {
  std::string m = FormatMessage({"a@x.org", "Hi\r\nBcc: evil@x.org", "line 1\nline 2"},
                                "Fachwerk <fw@x.org>", clock_.Now());
  EXPECT_EQ(m.find("From: Fachwerk <fw@x.org>\r\nTo: a@x.org\r\nSubject: Hi  Bcc: evil@x.org\r\n"),
            0u);
  EXPECT_NE(m.find("\r\nDate: Tue, 25 Nov 2025 10:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(m.find("\r\nMessage-ID: <"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(m.find("\r\n\r\nline 1\r\nline 2\r\n"), std::string::npos);
}

TEST_F(MailerTest, OutboxWritesOnePrivateFilePerMessage) {
  OutboxMailer outbox((dir_ / "outbox").string(), "fw@x.org", clock_);
  ASSERT_TRUE(outbox.Send({"a@x.org", "Invitation", "code fwi_abc"}));
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir_ / "outbox")) files.push_back(e.path());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].extension(), ".eml");
  struct stat st {};
  ASSERT_EQ(::stat(files[0].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string text = Read(files[0]);
  EXPECT_NE(text.find("To: a@x.org\r\n"), std::string::npos);
  EXPECT_NE(text.find("code fwi_abc"), std::string::npos);
}

TEST_F(MailerTest, OutboxThatCannotBeCreatedIsUnavailable) {
  std::ofstream(dir_ / "file") << "x";
  OutboxMailer outbox((dir_ / "file" / "outbox").string(), "fw@x.org", clock_);
  auto sent = outbox.Send({"a@x.org", "s", "b"});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
}

TEST_F(MailerTest, CommandGetsTheMessageOnStdin) {
  fs::path out = dir_ / "got.eml";
  CommandMailer mailer("cat > '" + out.string() + "'", "fw@x.org", clock_);
  ASSERT_TRUE(mailer.Send({"a@x.org", "Invitation", "code fwi_abc"}));
  std::string text = Read(out);
  EXPECT_EQ(text.find("From: fw@x.org\r\nTo: a@x.org\r\n"), 0u);
  EXPECT_NE(text.find("code fwi_abc"), std::string::npos);
}

TEST_F(MailerTest, ACommandThatFailsIsUnavailable) {
  CommandMailer mailer("cat > /dev/null; exit 3", "fw@x.org", clock_);
  auto sent = mailer.Send({"a@x.org", "s", "b"});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace fw::orgs
