#include "harness/report/console_reporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "tests/unit/report/test_support.h"

namespace conformance::report {
namespace {

using scenario::Verdict;
using ::testing::ContainsRegex;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

// A FILE* that collects everything written to it, for inspecting the reporter's output.
class CapturedOutput {
 public:
  CapturedOutput() : file_(::open_memstream(&buffer_, &size_)) {}
  ~CapturedOutput() {
    if (file_ != nullptr) std::fclose(file_);
    std::free(buffer_);
  }
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;

  std::FILE* file() { return file_; }
  std::string Text() {
    std::fflush(file_);
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Runs a whole report of SampleCases() and returns the output.
std::string RunSample(bool color, bool verbose) {
  CapturedOutput out;
  ConsoleReporter reporter(out.file(), color, verbose);
  const std::vector<scenario::CaseResult> cases = testing::SampleCases();
  reporter.OnRunStart(cases.size(), 7, "redis-server 7.2 at 127.0.0.1:6390");
  for (const scenario::CaseResult& result : cases) {
    reporter.OnCaseStart(result.id);
    reporter.OnCaseEnd(result);
  }
  reporter.OnRunEnd(cases, testing::SummaryOf(cases, 12.34));
  return out.Text();
}

TEST(ConsoleReporter, EndsWithTheLineCiSystemsRead) {
  const std::vector<std::string> lines = Lines(RunSample(/*color=*/false, /*verbose=*/false));
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[lines.size() - 3],
            "Summary: 1 passed, 1 failed, 1 xfail, 1 xpass, 1 skipped, 1 errors in 12.3 s");
  EXPECT_EQ(lines[lines.size() - 2], "2 passed, 3 failed");
  EXPECT_EQ(lines[lines.size() - 1], "exit code 1");
}

TEST(ConsoleReporter, PlainOutputHasNoEscapeSequencesEvenFromHostileText) {
  const std::string text = RunSample(/*color=*/false, /*verbose=*/true);
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(text, Not(HasSubstr(std::string(1, '\0'))));
  EXPECT_THAT(text, HasSubstr("\\x1b[31m"));  // the hostile ESC, rendered visibly
}

TEST(ConsoleReporter, OneLinePerCaseWithReasonsAndExplanations) {
  const std::string text = RunSample(/*color=*/false, /*verbose=*/false);
  EXPECT_THAT(text, HasSubstr("Running 6 cases against redis-server 7.2 at 127.0.0.1:6390 "
                              "(seed 7)\n"));
  EXPECT_THAT(text, HasSubstr("[1/6] PASS  master.psync.continue (0.25 s)\n"));
  EXPECT_THAT(text, HasSubstr("[2/6] FAIL  replica.rdb.eof-mark (0.50 s)\n"
                              "    step replica.receive-rdb at b.yaml:9:3\n"
                              "      Expected: +OK\n"
                              "      q\"uote'"));
  // The explanation does not name the transcript file, so the reporter adds it.
  EXPECT_THAT(text, HasSubstr("    transcript: out/replica.rdb.eof-mark.txt\n"));
  // A reason stays on its line, whatever it contains.
  EXPECT_THAT(text, ContainsRegex("\\[3/6\\] XFAIL psync\\.fallback-to-sync\\[diskless=yes\\] "
                                  "\\(0\\.75 s\\): known bug: q\"uote'[^\n]*line2[^\n]*end\n"));
  EXPECT_THAT(text, HasSubstr("[4/6] XPASS sanity (1.00 s)\n"
                              "    profile lists sanity as failing\n"));
  EXPECT_THAT(text, HasSubstr("[5/6] SKIP  master.restart.persist (1.25 s): attached with "
                              "--target: cannot restart the server\n"));
  EXPECT_THAT(text, HasSubstr("[6/6] ERROR weird.\"<&>]]>\\x01\\xff id (1.50 s)\n    q\"uote'"));
  // Not verbose: no START lines, no step lists, no XFAIL explanation.
  EXPECT_THAT(text, Not(HasSubstr("START")));
  EXPECT_THAT(text, Not(HasSubstr("replica.connect")));
  EXPECT_THAT(text, Not(HasSubstr("received +FULLRESYNC")));
}

TEST(ConsoleReporter, VerboseAnnouncesCasesAndListsSteps) {
  const std::string text = RunSample(/*color=*/false, /*verbose=*/true);
  EXPECT_THAT(text, HasSubstr("      START master.psync.continue\n"));
  EXPECT_THAT(text, HasSubstr("    PASS  replica.connect at a.yaml:3:5 (0.100 s)\n"));
  EXPECT_THAT(text, HasSubstr("    FAIL  replica.receive-rdb at b.yaml:9:3 (1.500 s)\n"
                              "          q\"uote'"));
  EXPECT_THAT(text, HasSubstr("    expected +CONTINUE, received +FULLRESYNC\n"));
}

TEST(ConsoleReporter, TableIsSortedById) {
  const std::string text = RunSample(/*color=*/false, /*verbose=*/false);
  const size_t table = text.find("\nid ");
  ASSERT_NE(table, std::string::npos) << text;
  const std::vector<std::string> ids = {"master.psync.continue",
                                        "master.restart.persist",
                                        "psync.fallback-to-sync[diskless=yes]",
                                        "replica.rdb.eof-mark",
                                        "sanity",
                                        "weird."};
  size_t previous = table;
  for (const std::string& id : ids) {
    const size_t at = text.find("\n" + id, previous);
    ASSERT_NE(at, std::string::npos) << id << " missing or out of order in\n" << text.substr(table);
    previous = at + 1;
  }
  EXPECT_THAT(text.substr(table), ContainsRegex("\nsanity +XPASS +1\\.00\n"));
}

TEST(ConsoleReporter, ColourWrapsLabelsButNotTheCiLine) {
  const std::string text = RunSample(/*color=*/true, /*verbose=*/false);
  EXPECT_THAT(text, HasSubstr("\x1b[32mPASS \x1b[0m master.psync.continue"));
  EXPECT_THAT(text, HasSubstr("\x1b[31mFAIL \x1b[0m replica.rdb.eof-mark"));
  EXPECT_THAT(text, HasSubstr("\x1b[31mXPASS\x1b[0m sanity"));
  EXPECT_THAT(text, HasSubstr("\x1b[35mERROR\x1b[0m weird."));
  EXPECT_THAT(text, HasSubstr("\x1b[33mSKIP \x1b[0m master.restart.persist"));
  EXPECT_THAT(text, HasSubstr("\x1b[33mXFAIL\x1b[0m psync.fallback"));
  EXPECT_THAT(text, EndsWith("\n2 passed, 3 failed\nexit code 1\n"));
}

TEST(ConsoleReporter, ParallelCasesNeverInterleaveLines) {
  constexpr int kThreads = 8;
  constexpr int kCasesPerThread = 50;
  CapturedOutput out;
  ConsoleReporter reporter(out.file(), /*color=*/false, /*verbose=*/true);
  reporter.OnRunStart(kThreads * kCasesPerThread, 1, "server");
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&reporter, t] {
      for (int i = 0; i < kCasesPerThread; ++i) {
        scenario::CaseResult result;
        result.id = "thread" + std::to_string(t) + ".case" + std::to_string(i);
        result.verdict = Verdict::kFail;
        result.explanation = "line one\nline two";
        reporter.OnCaseStart(result.id);
        reporter.OnCaseEnd(result);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  const std::string text = out.Text();
  const std::vector<std::string> lines = Lines(text);
  ASSERT_EQ(lines.size(), 1u + kThreads * kCasesPerThread * 4);
  int finished = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].find("START") != std::string::npos) continue;
    // Each result is three lines written together: the verdict line and the explanation.
    ASSERT_THAT(lines[i], ContainsRegex("^\\[ *[0-9]+/400\\] FAIL  thread[0-9]\\.case[0-9]+ "));
    EXPECT_EQ(lines[i + 1], "    line one");
    EXPECT_EQ(lines[i + 2], "    line two");
    ++finished;
    i += 2;
  }
  EXPECT_EQ(finished, kThreads * kCasesPerThread);
  EXPECT_THAT(text, HasSubstr("[400/400] FAIL"));
}

TEST(ColorWanted, NeverForAFileOrPipe) {
  CapturedOutput out;
  EXPECT_FALSE(ColorWanted(out.file()));
  EXPECT_FALSE(ColorWanted(nullptr));
}

}  // namespace
}  // namespace conformance::report
