// The <option>s of a select: values shown as they are, or [value, label] pairs.
export function Options({ items }: { items: readonly (string | readonly [string, string])[] }) {
  return (
    <>
      {items.map((item) => {
        const [value, label] = typeof item === 'string' ? [item, item] : item;
        return (
          <option key={value} value={value}>
            {label}
          </option>
        );
      })}
    </>
  );
}
