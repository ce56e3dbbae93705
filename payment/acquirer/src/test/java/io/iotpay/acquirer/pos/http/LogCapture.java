package io.iotpay.acquirer.pos.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log event of the process while open (the project's from DEBUG, level restored on close), formatted with its throwables. */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger project = (Logger) LoggerFactory.getLogger("io.iotpay");
  private final Level projectLevel = project.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public LogCapture() {
    appender.start();
    root.addAppender(appender);
    // The project's own lines from DEBUG; libraries at the configured level (WARN), still captured.
    project.setLevel(Level.DEBUG);
  }

  /** The formatted lines so far, throwables' messages and stack frames included. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    synchronized (appender.list) {
      for (ILoggingEvent event : appender.list) {
        out.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
          out.add(t.getClassName() + ": " + t.getMessage());
          for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
            out.add(frame.getSTEAsString());
          }
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    project.setLevel(projectLevel);
    appender.stop();
  }
}
