import { createRoot } from 'react-dom/client';
import { Projector } from './Projector';
import '../ui/base.css';
import './projector.css';

createRoot(document.getElementById('root')!).render(<Projector />);
