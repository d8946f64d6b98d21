#include "harness/report/transcript_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <iterator>
#include <set>
#include <thread>

#include "harness/report/case_text.h"
#include "tests/unit/report/test_support.h"

namespace conformance::report {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

TEST(TranscriptFileName, KeepsPlainIdsAsTheyAre) {
  EXPECT_EQ(TranscriptFileName("master.psync.continue"), "master.psync.continue.txt");
  EXPECT_EQ(TranscriptFileName("psync.rdb_version=9-x"), "psync.rdb_version=9-x.txt");
}

TEST(TranscriptFileName, SanitisesAndDisambiguates) {
  EXPECT_THAT(TranscriptFileName("psync.fallback[diskless=yes]"),
              MatchesRegex("psync\\.fallback_diskless=yes_-[0-9a-f]{8}\\.txt"));
  EXPECT_THAT(TranscriptFileName("../../etc/passwd"),
              MatchesRegex("_\\._\\.\\._etc_passwd-[0-9a-f]{8}\\.txt"));
  EXPECT_THAT(TranscriptFileName(""), MatchesRegex("case-[0-9a-f]{8}\\.txt"));
  EXPECT_THAT(TranscriptFileName(testing::Hostile()), MatchesRegex("[A-Za-z0-9._=-]+\\.txt"));
  // Ids that sanitise alike still get their own files, and the same id always the same one.
  EXPECT_NE(TranscriptFileName("a/b"), TranscriptFileName("a:b"));
  EXPECT_NE(TranscriptFileName("a/b"), TranscriptFileName("a_b"));
  EXPECT_EQ(TranscriptFileName("a/b"), TranscriptFileName("a/b"));
  EXPECT_LE(TranscriptFileName(std::string(1000, 'x')).size(), 200u);
  EXPECT_NE(TranscriptFileName(std::string(1000, 'x')), TranscriptFileName(std::string(999, 'x')));
}

TEST(CaseText, HoldsHeaderExplanationStepsTranscriptAndLog) {
  const scenario::CaseResult fail = testing::SampleCases()[1];
  const std::string text = RenderCaseText(fail);
  EXPECT_THAT(
      text,
      StartsWith("id:         replica.rdb.eof-mark\ntitle:      " + testing::Hostile() + "\n"));
  for (const std::string line :
       {"source:     replication.c syncCommand\n",
        "file:       scenarios/replica.rdb.eof-mark.yaml\n", "seed:       18446744073709551615\n",
        "verdict:    FAIL (0.500 s)\n"}) {
    EXPECT_THAT(text, HasSubstr(line));
  }
  EXPECT_THAT(text, HasSubstr("rule:       " + testing::Hostile() + "\n"));
  EXPECT_THAT(text, HasSubstr("reason:     " + testing::Hostile() + "\n"));
  EXPECT_THAT(text, HasSubstr("\n== explanation ==\n" + fail.explanation + "\n"));
  EXPECT_THAT(text, HasSubstr("\n== steps ==\n"
                              "  1. PASS  replica.connect at b.yaml:3:3 (0.010 s)\n"
                              "  2. FAIL  replica.receive-rdb at b.yaml:9:3 (1.500 s)\n"
                              "       q\"uote'"));
  EXPECT_THAT(text, HasSubstr("\r\n       line2"));  // a multi-line message stays indented
  EXPECT_THAT(text, HasSubstr("\n== transcript ==\n" + fail.transcript));
  EXPECT_THAT(text, EndsWith("\n== server log (tail) ==\n" + fail.server_log_tail + "\n"));
}

TEST(CaseText, LeavesOutEmptySections) {
  scenario::CaseResult pass;
  pass.id = "a.b";
  const std::string text = RenderCaseText(pass);
  EXPECT_EQ(text, "id:         a.b\nseed:       0\nverdict:    PASS (0.000 s)\n");
}

TEST(WriteTranscript, CreatesTheDirectoryAndWritesEveryCase) {
  testing::TempDir dir;
  const std::string target = (dir.path() / "runs" / "transcripts").string();
  std::set<std::string> paths;
  for (const scenario::CaseResult& result : testing::SampleCases()) {
    const Result<std::string> path = WriteTranscript(target, result);
    ASSERT_TRUE(path.ok()) << path.message();
    EXPECT_EQ(std::filesystem::path(*path).parent_path(), target);
    EXPECT_EQ(std::filesystem::path(*path).filename(), TranscriptFileName(result.id));
    // Raw bytes, hostile ones included, land in the file unchanged.
    EXPECT_EQ(testing::ReadFile(*path), RenderCaseText(result));
    paths.insert(*path);
  }
  EXPECT_EQ(paths.size(), testing::SampleCases().size());
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(target)) {
    EXPECT_THAT(entry.path().filename().string(), Not(HasSubstr(".tmp")));
    ++files;
  }
  EXPECT_EQ(files, paths.size());
}

TEST(WriteTranscript, RewritesAnExistingFile) {
  testing::TempDir dir;
  scenario::CaseResult result = testing::SampleCases()[0];
  ASSERT_TRUE(WriteTranscript(dir.path().string(), result).ok());
  result.reason = "second run";
  const Result<std::string> path = WriteTranscript(dir.path().string(), result);
  ASSERT_TRUE(path.ok());
  EXPECT_THAT(testing::ReadFile(*path), HasSubstr("second run"));
}

TEST(WriteTranscript, ConcurrentWritersOfOneIdLeaveOneWholeFile) {
  testing::TempDir dir;
  const std::string target = (dir.path() / "t").string();
  std::vector<scenario::CaseResult> versions(8, testing::SampleCases()[1]);
  for (size_t i = 0; i < versions.size(); ++i) {
    versions[i].transcript = std::string(100000, static_cast<char>('a' + i));
  }
  std::vector<std::thread> writers;
  for (const scenario::CaseResult& version : versions) {
    writers.emplace_back(
        [&target, &version] { EXPECT_TRUE(WriteTranscript(target, version).ok()); });
  }
  for (std::thread& writer : writers) writer.join();

  const std::string content =
      testing::ReadFile(std::filesystem::path(target) / TranscriptFileName(versions[0].id));
  size_t matches = 0;
  for (const scenario::CaseResult& version : versions)
    matches += content == RenderCaseText(version);
  EXPECT_EQ(matches, 1u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(target),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(WriteTranscript, ReportsAnUnusableDirectory) {
  testing::TempDir dir;
  const std::string blocker = (dir.path() / "not-a-dir").string();
  scenario::CaseResult blocking;
  blocking.id = "not-a-dir";
  ASSERT_TRUE(WriteTranscript(dir.path().string(), blocking).ok());
  std::filesystem::rename(dir.path() / "not-a-dir.txt", blocker);
  const Result<std::string> path = WriteTranscript(blocker, testing::SampleCases()[0]);
  ASSERT_FALSE(path.ok());
  EXPECT_THAT(path.message(), HasSubstr("not-a-dir"));
}

}  // namespace
}  // namespace conformance::report
