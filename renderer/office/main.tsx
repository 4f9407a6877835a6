import { createRoot } from 'react-dom/client';
import { Office } from './Office';
import '../ui/base.css';
import '../console/console.css';
import './office.css';

createRoot(document.getElementById('root')!).render(<Office />);
