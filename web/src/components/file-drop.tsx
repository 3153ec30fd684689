/** A drag-and-drop area that is also a normal, keyboard-reachable file input. */
import { Paper, Stack, Text } from '@mantine/core';
import { useId, useState, type DragEvent, type ReactNode } from 'react';

export function FileDrop(props: {
  label: string;
  hint: string;
  accept: string;
  disabled?: boolean;
  onFile: (file: File) => void;
}): ReactNode {
  const id = useId();
  const [over, setOver] = useState(false);
  const take = (files: FileList | null) => {
    const file = files?.[0];
    if (file) props.onFile(file);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (!props.disabled) take(event.dataTransfer.files);
  };
  return (
    <Paper
      withBorder
      radius="md"
      p="lg"
      onDragOver={(e: DragEvent) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      style={{
        borderStyle: 'dashed',
        borderWidth: 2,
        background: over ? 'var(--mantine-color-blue-0)' : undefined,
      }}
    >
      <Stack gap={6} align="center">
        <label htmlFor={id} style={{ fontWeight: 600 }}>
          {props.label}
        </label>
        <input
          id={id}
          type="file"
          accept={props.accept}
          disabled={props.disabled}
          onChange={(e) => {
            take(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        <Text size="sm">{props.hint}</Text>
      </Stack>
    </Paper>
  );
}
