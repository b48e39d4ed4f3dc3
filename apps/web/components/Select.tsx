/** A select with its own label (explicitly tied by id, so its accessible name is the label alone). */
export function Select({ id, label, value, onChange, disabled, children }: { id: string; label: string; value: string | number; onChange(value: string): void; disabled?: boolean; children: React.ReactNode }) {
  return (
    <span className="control">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        {children}
      </select>
    </span>
  );
}
