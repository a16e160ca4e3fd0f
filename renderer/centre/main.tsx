// The regional centre's console (issue 16 item 3; docs/federation.md): every
// post's picture on one map, each labelled and coloured by its post, read
// from the centre's mirrors. Actions stay at the posts.
import 'leaflet/dist/leaflet.css';
import { createRoot } from 'react-dom/client';
import { CentreApp } from './CentreApp';
import './centre.css';

createRoot(document.getElementById('root')!).render(<CentreApp />);
