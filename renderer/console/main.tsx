import { createRoot } from 'react-dom/client';
import { Console } from './Console';
import '../ui/base.css';
import './console.css';

createRoot(document.getElementById('root')!).render(<Console />);
