package io.iotpay.app.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long CLI work, always on stderr so that stdout (and {@code --json}) stays clean. On a
 * terminal (the JVM's console is interactive) it is a progress bar drawn by
 * {@code me.tongfei:progressbar}; otherwise it is plain lines: each stage's message, and for counted
 * work one line per tenth done. {@code IOTPAY_PROGRESS=plain} asks for plain lines on a terminal too.
 */
public final class Progress implements AutoCloseable {
  /** How often the bar is redrawn: often enough to look alive, rarely enough to cost nothing. */
  private static final int REDRAW_MS = 250;

  private final String task;
  private final long total;
  private final PrintWriter plain;
  private final ProgressBar bar;
  private long done;
  private int tenthsPrinted;

  private Progress(String task, long total, PrintWriter plain, ProgressBar bar) {
    this.task = task;
    this.total = total;
    this.plain = plain;
    this.bar = bar;
  }

  /**
   * Starts showing {@code task}.
   *
   * @param total how many units the work has, or -1 when unknown (stages only)
   * @param err where plain lines go (the command's stderr)
   */
  public static Progress start(String task, long total, PrintWriter err) {
    if (!onTerminal()) {
      return new Progress(task, total, err, null);
    }
    ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(REDRAW_MS)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    return new Progress(task, total, err, bar);
  }

  static boolean onTerminal() {
    if ("plain".equals(System.getenv("IOTPAY_PROGRESS"))) {
      return false;
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Java 22+ has a console also when redirected and says by Console.isTerminal(); the code is
      // compiled for 21, where a console exists only on a terminal.
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** {@code units} done so far. */
  public void stepTo(long units) {
    done = units;
    if (bar != null) {
      bar.stepTo(units);
      return;
    }
    if (total <= 0) {
      return;
    }
    int tenths = (int) Math.min(10, units * 10 / total);
    if (tenths > tenthsPrinted) {
      tenthsPrinted = tenths;
      plain.println(task + ": " + tenths * 10 + "% (" + units + "/" + total + ")");
      plain.flush();
    }
  }

  /** A stage reached: the bar's message on a terminal, a line otherwise. */
  public void stage(String message) {
    if (bar != null) {
      bar.setExtraMessage(message);
      bar.step();
      return;
    }
    plain.println(message);
    plain.flush();
  }

  /** A stream whose every line is a {@link #stage}, for code that reports progress to a PrintStream. */
  public PrintStream stages() {
    return new PrintStream(new LineSplitter(this), true, StandardCharsets.UTF_8);
  }

  /** Finishes the bar (or says how many units were done when the total was unknown). */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    } else if (total < 0 && done > 0) {
      plain.println(task + ": " + done + " done");
      plain.flush();
    }
  }

  /** Bytes to lines, each line handed to {@link #stage}. */
  private static final class LineSplitter extends OutputStream {
    private final Progress progress;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSplitter(Progress progress) {
      this.progress = progress;
    }

    @Override
    public void write(int b) {
      if (b == '\n') {
        progress.stage(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
