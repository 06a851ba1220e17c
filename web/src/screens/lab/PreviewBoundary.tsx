// Keeps a template the preview cannot draw (a pasted one of the wrong shape) from taking the
// page down: it says so instead, and tries again when the template changes.
import { Component, type ComponentChildren } from 'preact';

export class PreviewBoundary extends Component<{ watch: unknown; children: ComponentChildren }, { error: Error | null }> {
  override state = { error: null as Error | null };

  override componentDidCatch(error: Error) {
    this.setState({ error });
  }

  override componentDidUpdate(previous: { watch: unknown }) {
    if (previous.watch !== this.props.watch && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (this.state.error) {
      return (
        <p class="error-box" role="alert">
          The preview cannot show this template ({this.state.error.message}). The server will say what is wrong with it when the project is
          created.
        </p>
      );
    }
    return this.props.children;
  }
}
