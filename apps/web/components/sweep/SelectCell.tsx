/** A table row's "Select" button: selects its run (the chart and samples follow), named for screen readers. */
export function SelectCell({ runId, selected, label, onSelect }: { runId: string; selected: string | null; label: string; onSelect(runId: string): void }) {
  return (
    <td>
      <button type="button" onClick={() => onSelect(runId)} aria-pressed={runId === selected} aria-label={`Select ${label}`}>
        Select
      </button>
    </td>
  );
}
