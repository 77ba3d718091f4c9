import './base.css';
import './runs-table.css';
import './compare.css';
import './models.css';
import './offline.css';
import './static-output.css';
import './media.css';
