import { createRoot } from 'react-dom/client';
import '@mantine/core/styles.css';
import { MantineProvider, Button } from '@mantine/core';
import { Hello } from './hello.js';
createRoot(document.getElementById('root')!).render(<MantineProvider><Button>hi</Button><Hello /></MantineProvider>);
