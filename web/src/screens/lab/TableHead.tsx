// A table's column headings. A heading written "#Answers" is a number column (right-aligned).
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) =>
          c.startsWith('#') ? (
            <th key={c} scope="col" class="num">
              {c.slice(1)}
            </th>
          ) : (
            <th key={c} scope="col">
              {c}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
