import './base.css';
import './runs-table.css';
