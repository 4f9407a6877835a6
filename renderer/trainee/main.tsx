import { createRoot } from 'react-dom/client';
import { Trainee } from './Trainee';
import '../ui/base.css';
import './trainee.css';

createRoot(document.getElementById('root')!).render(<Trainee />);
