package org.taqtir.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellChannel;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageContext;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.publish.PublishExecuteInput;
import io.github.spencerpark.jupyter.messages.reply.ExecuteReply;
import io.github.spencerpark.jupyter.messages.reply.HistoryReply;
import io.github.spencerpark.jupyter.messages.reply.KernelInfoReply;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A reply environment that fixes gaps of basekernel 2.3.0 against the messaging protocol 5.3:
 * {@code kernel_info_reply} and {@code history_reply} get their {@code status}, and {@code
 * execute_reply} carries a pager payload when the cell asked for one.
 */
final class ProtocolEnvironment extends ShellReplyEnvironment {

  private final ShellReplyEnvironment original;
  private final TaqtirKernel kernel;

  private ProtocolEnvironment(
      ShellChannel shell,
      JupyterConnection connection,
      MessageContext context,
      ShellReplyEnvironment original,
      TaqtirKernel kernel) {
    super(shell, null, connection.getIOPub(), context);
    this.original = original;
    this.kernel = kernel;
  }

  @Override
  public void publish(Message<?> msg) {
    if (msg.getContent() instanceof PublishExecuteInput) {
      // this environment now serves a running cell: helpers like clearOutput publish through it
      kernel.cellStarted(this);
      defer(() -> kernel.cellEnded(this));
    }
    super.publish(msg);
  }

  @Override
  public void reply(Message<?> msg) {
    Object content = msg.getContent();
    if (content instanceof KernelInfoReply k && !(content instanceof KernelInfoOk)) {
      super.reply(
          new Message<KernelInfoReply>(
              getContext(), MessageType.KERNEL_INFO_REPLY, new KernelInfoOk(k)));
      return;
    }
    if (content instanceof HistoryReply h) {
      super.reply(historyOk(h));
      return;
    }
    if (content instanceof ExecuteReply r
        && r.getStatus() == ExecuteReply.Status.OK
        && !(content instanceof PagedExecuteReply)) {
      String page = kernel.takePage();
      if (page != null) {
        super.reply(
            new Message<ExecuteReply>(
                getContext(),
                MessageType.EXECUTE_REPLY,
                new PagedExecuteReply(r.getExecutionCount(), page)));
        return;
      }
    }
    super.reply(msg);
  }

  @Override
  public String readFromStdIn(String prompt, boolean isPassword) {
    return original.readFromStdIn(prompt, isPassword);
  }

  /** {@code kernel_info_reply} with {@code status: ok}. */
  static final class KernelInfoOk extends KernelInfoReply {
    @SuppressWarnings("unused") // serialised by gson
    private final String status = "ok";

    KernelInfoOk(KernelInfoReply k) {
      super(
          k.getProtocolVersion(),
          k.getImplementationName(),
          k.getImplementationVersion(),
          k.getLangInfo(),
          k.getBanner(),
          k.getHelpLinks());
    }
  }

  /**
   * {@code history_reply} with {@code status: ok} and entries as the protocol's tuples: basekernel
   * registers its entry serialiser on a Gson that does not write replies, so they came out as
   * objects.
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // the content is any object gson can write
  private Message<?> historyOk(HistoryReply h) {
    List<List<Object>> entries = new ArrayList<>();
    for (HistoryEntry e : h.getHistory()) {
      entries.add(
          List.of(
              e.getSession(),
              e.getCellNumber(),
              e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput()));
    }
    return new Message(
        getContext(), MessageType.HISTORY_REPLY, new HistoryOk("ok", List.copyOf(entries)));
  }

  /** The {@code history_reply} content. */
  private record HistoryOk(String status, List<List<Object>> history) {}

  /** {@code execute_reply} with one pager payload. */
  static final class PagedExecuteReply extends ExecuteReply {
    @SuppressWarnings("unused") // serialised by gson
    private final List<Map<String, Object>> payload;

    PagedExecuteReply(int count, String text) {
      super(count, Collections.emptyMap());
      this.payload =
          List.of(Map.of("source", "page", "data", Map.of("text/plain", text), "start", 0));
    }
  }

  /** A connection whose shell and control messages get a {@link ProtocolEnvironment}. */
  static final class Connection extends JupyterConnection {
    private final TaqtirKernel kernel;

    Connection(KernelConnectionProperties props, TaqtirKernel kernel)
        throws NoSuchAlgorithmException, InvalidKeyException {
      super(props);
      this.kernel = kernel;
    }

    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel shell, MessageContext context) {
      ShellReplyEnvironment original = super.prepareReplyEnv(shell, context);
      return new ProtocolEnvironment(shell, this, context, original, kernel);
    }
  }
}
