package lakehouse.bronze;

import static lakehouse.bronze.BronzeTestSupport.land;
import static lakehouse.bronze.BronzeTestSupport.run;
import static lakehouse.bronze.BronzeTestSupport.table;
import static lakehouse.bronze.BronzeTestSupport.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lakehouse.bronze.BronzeJob.Step;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.testing.TestLake;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Landed files that go or change between the run's checking read and its write (issue 19): the
 * batch fails with a data error naming the file, nothing of it is written, no table folder is left
 * half made, and the run after the file is restored completes.
 */
class BronzeFaultsTest {
  /** A landed file's bytes and modification time, to take it away and put it back. */
  record Saved(Path path, byte[] bytes, FileTime modified) {
    static Saved of(Path path) {
      try {
        return new Saved(path, Files.readAllBytes(path), Files.getLastModifiedTime(path));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void restore() {
      try {
        Files.write(path, bytes);
        Files.setLastModifiedTime(path, modified);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** As the landing scanner names it ({@code file:/...}). */
    String uri() {
      return new org.apache.hadoop.fs.Path(path.toUri()).toString();
    }
  }

  private static String[] orderLines(int from, int count) {
    String[] lines = new String[count];
    for (int i = 0; i < count; i++) {
      lines[i] =
          "{\"order_id\":\"O"
              + (from + i)
              + "\",\"customer_id\":\"C"
              + (i % 97)
              + "\",\"amount\":"
              + (i % 50)
              + ".25}";
    }
    return lines;
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aFileDeletedBeforeTheFirstWriteFailsWithTheRestoreMessageAndLeavesNoHalfMadeTable(
      @TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    Saved file =
        Saved.of(
            land(lake, "orders", "2026-01-01", "orders-2026-01-01-001.json", orderLines(1, 50)));
    Path bronzeDir = dir.resolve("lake").resolve("bronze").resolve("orders");

    LakehouseException gone =
        catchThrowableOfType(
            () ->
                run(
                    lake,
                    "orders",
                    Optional.empty(),
                    step -> {
                      if (step == Step.PLANNED) {
                        delete(file.path());
                      }
                    }),
            LakehouseException.class);

    assertThat(gone).as("a data error, not a stack trace").isNotNull();
    assertThat(gone.exitCode()).isEqualTo(ExitCode.DATA_ERROR);
    assertThat(gone.getMessage())
        .isEqualTo(BronzeErrors.plannedFileVanished("orders", 1, file.uri()).getMessage());
    assertThat(bronzeDir).as("the failed first write left no table folder").doesNotExist();
    assertThat(lake.runtime().catalog().uncommitted()).isEmpty();
    // Every command starts on this lake: the catalog registers what is there.
    LakehouseRuntime.attach(lake.settings(), lake.spark());

    LakehouseException again =
        catchThrowableOfType(() -> run(lake, "orders", Optional.empty()), LakehouseException.class);
    assertThat(again.getMessage())
        .isEqualTo(BronzeErrors.plannedFileVanished("orders", 1, file.uri()).getMessage());

    file.restore();
    BronzeReport restored = run(lake, "orders", Optional.empty());
    assertThat(restored.recoveredBatch()).isEqualTo(1L);
    assertThat(restored.rowsWritten()).isEqualTo(50);
    assertThat(table(lake, "bronze.orders").count()).isEqualTo(50);
  }

  @Test
  void aTableFolderLeftWithoutACommitIsRecoveredByTheNextRun(@TempDir Path dir) throws IOException {
    TestLake lake = TestLake.create(dir);
    land(lake, "orders", "2026-01-01", "orders-2026-01-01-001.json", orderLines(1, 20));
    // What a first write that died left before: a _delta_log without a commit.
    Path bronzeDir = dir.resolve("lake").resolve("bronze").resolve("orders");
    Files.createDirectories(bronzeDir.resolve("_delta_log"));
    List<String> warnings = new ArrayList<>();
    List<TableId> registered = lake.runtime().catalog().registerAll(warnings::add);
    assertThat(registered).doesNotContain(TableId.of("bronze", "orders"));
    assertThat(warnings).hasSize(1).allMatch(w -> w.contains("bronze.orders"));

    BronzeReport report = run(lake, "orders", Optional.empty());

    assertThat(report.rowsWritten()).isEqualTo(20);
    assertThat(lake.runtime().catalog().uncommitted()).isEmpty();
    assertThat(lake.spark().sql("SELECT count(*) FROM bronze.orders").first().getLong(0))
        .isEqualTo(20);
  }

  @Test
  void aFileTruncatedAfterPlanningFailsItsBatchAndTheRunAfterItsRestoreCompletes(
      @TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(lake, "orders", "2026-01-01", "orders-2026-01-01-001.json", orderLines(1, 10));
    run(lake, "orders", Optional.empty());
    long dataVersion = version(lake, "bronze.orders");
    long rejectsVersion = version(lake, "bronze.orders_rejects");
    Saved file =
        Saved.of(
            land(
                lake,
                "orders",
                "2026-01-02",
                "orders-2026-01-02-001.json",
                orderLines(1000, 3000)));

    LakehouseException changed =
        catchThrowableOfType(
            () ->
                run(
                    lake,
                    "orders",
                    Optional.empty(),
                    step -> {
                      if (step == Step.PLANNED) { // truncated to 10 %, modification time kept
                        try (FileChannel channel =
                            FileChannel.open(file.path(), StandardOpenOption.WRITE)) {
                          channel.truncate(file.bytes().length / 10);
                          Files.setLastModifiedTime(file.path(), file.modified());
                        } catch (IOException e) {
                          throw new UncheckedIOException(e);
                        }
                      }
                    }),
            LakehouseException.class);

    assertThat(changed).as("never exit 0 with fewer rows than the file had").isNotNull();
    assertThat(changed.exitCode()).isEqualTo(ExitCode.DATA_ERROR);
    assertThat(changed.getMessage())
        .doesNotContain("\n")
        .isEqualTo(
            BronzeErrors.fileChanged(
                    "orders",
                    2L,
                    file.uri(),
                    file.bytes().length,
                    file.modified().toMillis(),
                    file.bytes().length / 10,
                    file.modified().toMillis())
                .getMessage());
    assertThat(version(lake, "bronze.orders"))
        .as("nothing of the batch written")
        .isEqualTo(dataVersion);
    assertThat(version(lake, "bronze.orders_rejects")).isEqualTo(rejectsVersion);
    assertThat(table(lake, "bronze.orders").count()).isEqualTo(10);

    file.restore();
    BronzeReport restored = run(lake, "orders", Optional.empty());
    assertThat(restored.recoveredBatch()).isEqualTo(2L);
    assertThat(restored.rowsWritten()).isEqualTo(3000);
    assertThat(table(lake, "bronze.orders").count()).isEqualTo(3010);
    assertThat(run(lake, "orders", Optional.empty()).status())
        .isEqualTo(BronzeReport.Status.NOTHING_NEW);
  }

  @Test
  void aFileThatShrinksWhileItIsReadFailsAtItsEnd(@TempDir Path dir) throws IOException {
    TestLake lake = TestLake.create(dir);
    Path path =
        land(lake, "orders", "2026-01-01", "orders-2026-01-01-001.json", orderLines(1, 20_000));
    long size = Files.size(path);
    LandedFile file =
        new LandedFile(
            LakePaths.toFileUri(path.toString()),
            java.time.LocalDate.parse("2026-01-01"),
            size,
            Files.getLastModifiedTime(path).toMillis());
    LineReader.FileLines lines =
        new LineReader.FileLines(
            List.of(file).iterator(),
            new Configuration(),
            "orders",
            7L,
            new LineReader.Format(false, false, ',', '"', List.of(), 1 << 20));
    assertThat(lines.hasNext()).isTrue(); // opened and checked against its listing
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.truncate(size / 2);
    }

    LakehouseException changed =
        catchThrowableOfType(
            () -> {
              while (lines.hasNext()) {
                lines.next();
              }
            },
            LakehouseException.class);

    assertThat(changed).isNotNull();
    assertThat(changed.exitCode()).isEqualTo(ExitCode.DATA_ERROR);
    assertThat(changed.getMessage()).contains(file.uri()).contains("of pending batch 7 changed");
  }

  @Test
  void aTypoInASchemaHintIsAUsageErrorNamingTheDeclarationsFileAndLine(@TempDir Path dir) {
    Path conf = TestLake.copyConf(dir);
    BronzeTestSupport.declare(
        conf, "orders", "format = json\n" + "schema-hints = \"order_id STRING, amount DUBBLE\"\n");

    lakehouse.common.testing.CliRun run =
        lakehouse.common.testing.CliRun.of(
            new BronzeCommand(),
            "--conf-dir",
            conf.toString(),
            "--conf",
            "lakehouse.lake-root=" + LakePaths.toFileUri(dir.resolve("lake").toString()),
            "--source",
            "orders");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip())
        .doesNotContain("\n")
        .startsWith("error: conf/sources/orders.conf: schema-hints (conf/sources/orders.conf:2):")
        .contains("DUBBLE");
  }

  @Test
  void ofTwoRunsWritingOneSourceAtOnceTheLoserSaysSoInOneLineAndNothingIsLost(@TempDir Path dir)
      throws Exception {
    TestLake lake = TestLake.create(dir);
    int lines = 200_000; // the writes take seconds, so the two overlap
    land(lake, "orders", "2026-01-01", "orders-2026-01-01-001.json", orderLines(1, lines));
    java.util.concurrent.CountDownLatch otherWriting = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Object> other =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread[] otherThread = new Thread[1];

    // Run A plans batch 1, then starts run B and lets it begin writing that batch (B finds it
    // planned and unwritten, as a second process would) before A writes it too.
    Object first;
    try {
      first =
          run(
              lake,
              "orders",
              Optional.empty(),
              step -> {
                if (step == Step.PLANNED) {
                  otherThread[0] =
                      new Thread(
                          () -> {
                            try {
                              other.set(
                                  run(
                                      lake,
                                      "orders",
                                      Optional.empty(),
                                      otherStep -> {
                                        if (otherStep == Step.WRITING_DATA) {
                                          otherWriting.countDown();
                                        }
                                      }));
                            } catch (Exception e) {
                              other.set(e);
                            } finally {
                              otherWriting.countDown();
                            }
                          });
                  otherThread[0].start();
                  try {
                    assertThat(otherWriting.await(300, java.util.concurrent.TimeUnit.SECONDS))
                        .isTrue();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
    } catch (LakehouseException e) {
      first = e;
    }
    otherThread[0].join(300_000);

    List<Object> outcomes = List.of(first, other.get());
    List<LakehouseException> failures =
        outcomes.stream()
            .filter(LakehouseException.class::isInstance)
            .map(LakehouseException.class::cast)
            .toList();
    assertThat(outcomes)
        .as("one run wins, the other says it lost")
        .hasSize(2)
        .filteredOn(BronzeReport.class::isInstance)
        .hasSize(1);
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0).exitCode()).isEqualTo(ExitCode.CONCURRENT_WRITER);
    assertThat(failures.get(0).getMessage())
        .isEqualTo(
            BronzeErrors.concurrentWriter("orders", "bronze.orders", true, null).getMessage())
        .startsWith("another run is writing bronze.orders; this run wrote nothing");
    assertThat(table(lake, "bronze.orders").count()).isEqualTo(lines);
    assertThat(table(lake, "bronze.orders").select("order_id").distinct().count()).isEqualTo(lines);
    BronzeReport after = run(lake, "orders", Optional.empty());
    assertThat(after.status()).isEqualTo(BronzeReport.Status.NOTHING_NEW);
    assertThat(table(lake, "bronze.orders").count()).isEqualTo(lines);
  }
}
