package io.iotpay.platform.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;

/**
 * Files and directories the node writes that hold money, identities or keys: readable by the
 * account the node runs as and nobody else (0600 files, 0700 directories), whatever the umask. On a
 * file system without POSIX permissions the calls create what they are asked to and restrict nothing.
 */
public final class OwnerOnlyFiles {
  /** rw------- */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  /** rwx------ */
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  /** What SQLite writes next to a database file: it gives them the database file's permissions when it creates them. */
  private static final List<String> SQLITE_SIDE_FILES = List.of("-wal", "-shm", "-journal");

  private OwnerOnlyFiles() {}

  /**
   * Creates {@code dir} and its missing parents; the directories created here are 0700, an existing
   * one is left as it is (it may be a home directory the operator chose).
   *
   * @return {@code dir}
   */
  public static Path createDirectories(Path dir) throws IOException {
    ArrayDeque<Path> missing = new ArrayDeque<>();
    for (Path at = dir.toAbsolutePath(); at != null && !Files.exists(at); at = at.getParent()) {
      missing.push(at);
    }
    while (!missing.isEmpty()) {
      createDirectory(missing.pop());
    }
    return dir;
  }

  /**
   * Makes the SQLite database {@code databaseFile} owner-only before it is opened: creates it empty
   * (0600) when missing, else restricts it and any WAL, SHM or journal file beside it to 0600. SQLite
   * then creates its side files with the database file's permissions.
   */
  public static void restrictDatabase(Path databaseFile) throws IOException {
    createDirectories(databaseFile.toAbsolutePath().getParent());
    if (!Files.exists(databaseFile)) {
      if (posix(databaseFile)) {
        Files.createFile(databaseFile, PosixFilePermissions.asFileAttribute(FILE));
      } else {
        Files.createFile(databaseFile);
      }
    } else {
      restrict(databaseFile);
    }
    for (String suffix : SQLITE_SIDE_FILES) {
      Path side = databaseFile.resolveSibling(databaseFile.getFileName() + suffix);
      if (Files.exists(side)) {
        restrict(side);
      }
    }
  }

  /** Sets an existing file to 0600. */
  public static void restrict(Path file) throws IOException {
    if (posix(file)) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  /**
   * Sets every directory below and including {@code dir} to 0700 and every file to 0600: for a
   * library's working directory (HiveMQ's), whose files are written with the process umask.
   */
  public static void restrictTree(Path dir) throws IOException {
    if (!posix(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.toList()) {
        Files.setPosixFilePermissions(path, Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? DIRECTORY : FILE);
      }
    }
  }

  private static void createDirectory(Path dir) throws IOException {
    if (posix(dir)) {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
      // The umask may have taken bits away, never added any: set exactly what is wanted.
      Files.setPosixFilePermissions(dir, DIRECTORY);
    } else {
      Files.createDirectory(dir);
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
