import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { queryClient } from './api/query-client';
import { AppRoutes } from './app';
import { ThemeRoot } from './features/shell/components/theme-root';
import './i18n';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ThemeRoot>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </ThemeRoot>
    </QueryClientProvider>
  </StrictMode>,
);
