package lakehouse.bronze;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import lakehouse.common.LakehouseException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Holds a landed file to what was listed and planned: its size and modification time as the listing
 * saw them (and as the files log records them). Landed files are immutable; one that is gone or
 * changed since would be taken incompletely or differently, so the batch fails with a data error
 * naming the file and nothing of it is written. The line reader checks each file when it opens it
 * and again at its end (the bytes read must be the planned size).
 */
final class FileCheck {
  private FileCheck() {}

  /**
   * Checks a file's current status against the listing.
   *
   * @param batch the planned batch the file belongs to, or null for the checking read before the
   *     plan
   * @return the file's current status
   * @throws LakehouseException data error (exit 4) if the file is gone or differs
   */
  static FileStatus verify(Configuration conf, String source, Long batch, LandedFile file) {
    Path path = new Path(file.uri());
    FileStatus status;
    try {
      status = path.getFileSystem(conf).getFileStatus(path);
    } catch (FileNotFoundException e) {
      throw gone(source, batch, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the status of " + file.uri(), e);
    }
    if (status.getLen() != file.size() || status.getModificationTime() != file.modifiedAt()) {
      throw changed(source, batch, file, status.getLen(), status.getModificationTime());
    }
    return status;
  }

  /** Checks every file on the driver; the first one gone or changed fails. */
  static void verifyAll(Configuration conf, String source, Long batch, List<LandedFile> files) {
    for (LandedFile file : files) {
      verify(conf, source, batch, file);
    }
  }

  static LakehouseException gone(String source, Long batch, LandedFile file) {
    return batch == null
        ? BronzeErrors.listedFileVanished(source, file.uri())
        : BronzeErrors.plannedFileVanished(source, batch, file.uri());
  }

  static LakehouseException changed(
      String source, Long batch, LandedFile file, long size, long modifiedAt) {
    return BronzeErrors.fileChanged(
        source, batch, file.uri(), file.size(), file.modifiedAt(), size, modifiedAt);
  }
}
