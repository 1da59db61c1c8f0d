package lakehouse.bronze;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * One file found in a source's landing location.
 *
 * @param uri the file's full, qualified URI (what {@code _source_file} holds)
 * @param landingDate the date of the folder it landed in
 * @param size its length in bytes
 * @param modifiedAt its modification time, epoch milliseconds
 */
public record LandedFile(String uri, LocalDate landingDate, long size, long modifiedAt)
    implements Serializable {}
