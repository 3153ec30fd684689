/** The Mantine theme: darker shades so text on colour keeps a 4.5:1 contrast (WCAG AA). */
import { Alert, createTheme, Modal, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  // Shade 6 (Mantine's default) under white text is below 4.5:1; shade 9 passes for every colour used.
  primaryShade: { light: 9, dark: 9 },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  components: {
    // Mantine's close button is an icon without a name: screen readers would announce just "button".
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // Light alerts colour their title with the alert colour, too pale on orange and yellow: use the text colour.
    Alert: Alert.extend({ styles: { title: { color: 'var(--mantine-color-text)' } } }),
  },
});

/** Dimmed text (descriptions, hints) one shade darker than Mantine's default, for contrast. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
