package lakehouse.report;

import lakehouse.common.LakehouseException;

/**
 * The errors of the report command, each returned with its exit code ({@code throw
 * ReportErrors.outNotDirectory(...)}); tests assert through {@code getMessage()}.
 */
public final class ReportErrors {
  private ReportErrors() {}

  /** {@code --out} names a file: exit code 2. */
  public static LakehouseException outNotDirectory(String path) {
    return LakehouseException.usage("--out " + path + " exists and is not a directory");
  }

  /** The report's folder cannot be written: exit code 2. */
  public static LakehouseException cannotWrite(String path, String error) {
    return LakehouseException.usage("cannot write the report to " + path + ": " + error);
  }
}
