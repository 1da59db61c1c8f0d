package lakehouse.timetravel;

import io.delta.tables.DeltaTable;
import lakehouse.common.ExitCode;
import lakehouse.common.catalog.TableId;
import lakehouse.common.catalog.TableVersions;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code restore TABLE --to-version V --yes}: Delta's RESTORE, which commits a new version whose
 * contents are those of version V; the versions in between stay in the history (and readable until
 * VACUUM removes their files). Without {@code --yes} it refuses (exit 2) before touching anything.
 */
@Command(
    name = "restore",
    description = {
      "Restore a table to an earlier Delta version (a new commit; history is kept).",
      "Refuses without --yes. Prints the version before and after."
    })
public final class RestoreCommand extends LakehouseCommand {
  @Parameters(paramLabel = "TABLE", description = "Logical table name, e.g. silver.orders.")
  String table;

  @Option(
      names = "--to-version",
      required = true,
      paramLabel = "V",
      description = "The version whose contents become current.")
  long version;

  @Option(names = "--yes", description = "Confirm the restore.")
  boolean yes;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    if (!yes) {
      throw TimeTravelErrors.restoreNeedsYes(table, version);
    }
    return withRuntime(
        settings,
        runtime -> {
          TableId id = runtime.catalog().require(table);
          TableVersions versions = TableVersions.of(runtime.spark(), runtime.catalog(), id);
          versions.requireVersion(version, "--to-version");
          long before = versions.latest();
          if (before == version) {
            out()
                .println(
                    "table " + id + " is already at version " + version + "; nothing to restore");
            out().flush();
            return ExitCode.OK;
          }
          Row metrics;
          try {
            metrics =
                DeltaTable.forPath(runtime.spark(), runtime.catalog().location(id))
                    .restoreToVersion(version)
                    .first();
          } catch (
              IllegalArgumentException e) { // Delta checks the version's files before committing
            throw TimeTravelErrors.restoreFilesRemoved(
                id, version, SparkErrors.firstLine(e.getMessage().strip()));
          }
          long after = TableVersions.of(runtime.spark(), runtime.catalog(), id).latest();
          out()
              .println(
                  "restored "
                      + id
                      + " to the contents of version "
                      + version
                      + ": version "
                      + before
                      + " -> "
                      + after
                      + " ("
                      + metrics.getAs("num_restored_files")
                      + " files restored, "
                      + metrics.getAs("num_removed_files")
                      + " removed)");
          out().flush();
          return ExitCode.OK;
        });
  }
}
